import type { Executor, ExecutorLog, PriorityClass } from '@fairsweep/sdk';
import { createLocalExecutor } from '@fairsweep/executor-local';
import { createSlurmExecutor } from '@fairsweep/executor-slurm';
import { createLogger, type Logger } from '@fairsweep/service-kit';
import type { KubeConfig } from '@kubernetes/client-node';
import { kubernetesPriorityClassFor, slurmAccountFor, slurmQosFor, type ExecutorSettings, type KubernetesExecutorSettings } from './executor.settings.js';

export interface PoolExecutorOptions {
  workRoot: string;
  gpuIds?: string[];
  gracePeriodMs: number;
  hostEnv: Record<string, string>;
  /** compute's logger: the executor reports its own problems there (default: a logger of component `compute`). */
  log?: Logger;
}

/**
 * The executor a pool's settings name (default: local), configured for this compute process. The
 * Kubernetes executor and its client (ESM-only, heavy) are loaded only when a pool uses them.
 */
export async function createPoolExecutor(settings: ExecutorSettings | undefined, o: PoolExecutorOptions): Promise<Executor> {
  const log = o.log ?? createLogger('compute');
  if (!settings || settings.kind === 'local') {
    return createLocalExecutor({
      workRoot: o.workRoot, gpuIds: o.gpuIds, gracePeriodMs: o.gracePeriodMs, hostEnv: o.hostEnv, log: executorLog(log, 'local'),
      ...(settings?.cgroupParent !== undefined ? { cgroupParent: settings.cgroupParent } : {}),
      ...(settings?.nvidiaSmi !== undefined ? { nvidiaSmi: settings.nvidiaSmi } : {}),
    });
  }
  if (settings.kind === 'kubernetes') return createPoolKubernetesExecutor(settings, o, executorLog(log, 'kubernetes'));
  return createSlurmExecutor({
    log: executorLog(log, 'slurm'),
    workRoot: o.workRoot,
    gracePeriodMs: o.gracePeriodMs,
    hostEnv: o.hostEnv,
    partition: settings.partition,
    accountFor: (tenant) => slurmAccountFor(settings, tenant),
    qosFor: (priority) => slurmQosFor(settings, priority),
    ...(settings.slurmConf ? { slurmConf: settings.slurmConf } : {}),
    ...(settings.pollIntervalMs ? { pollIntervalMs: settings.pollIntervalMs } : {}),
    ...(settings.sbatchArgs ? { sbatchArgs: settings.sbatchArgs } : {}),
  });
}

async function createPoolKubernetesExecutor(s: KubernetesExecutorSettings, o: PoolExecutorOptions, log: ExecutorLog): Promise<Executor> {
  const { createKubernetesExecutor } = await import('@fairsweep/executor-kubernetes');
  const hasPriorityClasses = Object.keys(s.priorityClasses).length > 0 || s.priorityClassTemplate !== undefined;
  return createKubernetesExecutor({
    log,
    image: s.image,
    kubeConfig: await kubeConfigOf(s),
    hostEnv: o.hostEnv,
    gracePeriodMs: s.terminationGraceSeconds !== undefined ? s.terminationGraceSeconds * 1000 : o.gracePeriodMs,
    ...(s.kueueQueue ? { kueue: { queueName: s.kueueQueue, ...(s.kueuePriorityClass ? { workloadPriorityClass: s.kueuePriorityClass } : {}) } } : {}),
    ...(hasPriorityClasses ? { priorityClassFor: (priority: PriorityClass) => kubernetesPriorityClassFor(s, priority) } : {}),
    ...pick(s, ['imagePullPolicy', 'namespace', 'instance', 'serviceAccountName', 'nodeSelector', 'tolerations', 'gpuResource', 'cpuLimits',
      'ttlSecondsAfterFinished', 'propagationPolicy', 'pollIntervalMs', 'resyncIntervalMs']),
  });
}

/** An executor's own problems in compute's log, naming the executor. */
function executorLog(log: Logger, executor: string): ExecutorLog {
  return {
    warn: (message) => log.warn(`executor ${executor}: ${message}`),
    error: (message, error) => log.error(`executor ${executor}: ${message}`, error),
  };
}

function pick<T extends object, K extends keyof T>(from: T, keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]])) as Partial<Pick<T, K>>;
}

/**
 * FAIRSWEEP_K8S_KUBECONFIG (a file, or in-cluster; default: client-node's loadFromDefault),
 * FAIRSWEEP_K8S_CONTEXT, and FAIRSWEEP_K8S_API_SERVER (replaces the cluster's server; alone: no credentials).
 */
export async function kubeConfigOf(s: KubernetesExecutorSettings): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const { kubeConfigFor } = await import('@fairsweep/executor-kubernetes');
  if (s.apiServer && !s.kubeconfig) return kubeConfigFor(s.apiServer);
  const kc = new KubeConfig();
  if (!s.kubeconfig) kc.loadFromDefault();
  else if (s.kubeconfig === 'in-cluster') kc.loadFromCluster();
  else {
    try {
      kc.loadFromFile(s.kubeconfig);
    } catch (err) {
      throw new Error(`FAIRSWEEP_K8S_KUBECONFIG: cannot load the kubeconfig "${s.kubeconfig}": ${(err as Error).message}`);
    }
  }
  if (s.context) {
    if (!kc.getContextObject(s.context)) {
      throw new Error(`FAIRSWEEP_K8S_CONTEXT: "${s.context}" is not a context of ${s.kubeconfig} (it has: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})`);
    }
    kc.setCurrentContext(s.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error(`the kubeconfig ${s.kubeconfig ?? '(default: KUBECONFIG or ~/.kube/config)'} has no current cluster: set FAIRSWEEP_K8S_KUBECONFIG, FAIRSWEEP_K8S_CONTEXT or FAIRSWEEP_K8S_API_SERVER`);
  if (s.apiServer) {
    const server = s.apiServer;
    kc.loadFromOptions({
      clusters: kc.clusters.map((c) => (c.name === cluster.name ? { ...c, server, skipTLSVerify: c.skipTLSVerify || server.startsWith('http://') } : c)),
      users: kc.users, contexts: kc.contexts, currentContext: kc.currentContext,
    });
  }
  return kc;
}
