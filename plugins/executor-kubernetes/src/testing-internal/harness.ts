import { EventLog, uniqueAttemptLaunch, type TrialLaunch } from '@fairsweep/sdk';
import { createKubernetesExecutor, type KubernetesExecutor, type KubernetesExecutorConfig } from '../k8s.executor.js';
import { FakeCluster } from '../testing/fake-apiserver.js';

export const TIMEOUT_MS = 20000;

/** Test settings: short intervals; images are irrelevant to the fake kubelet (it runs the command on this host). */
export function executorFor(cluster: FakeCluster, config: Partial<KubernetesExecutorConfig> = {}): KubernetesExecutor {
  return createKubernetesExecutor({
    image: 'busybox:1.36',
    kubeConfig: cluster.kubeConfig(),
    gracePeriodMs: 2000,
    pollIntervalMs: 200,
    resyncIntervalMs: 2000,
    watchReconnectMs: 100,
    logDrainMs: 2000,
    stopSlackMs: 5000,
    onWarning: () => undefined,
    ...config,
  });
}

export function harness(cluster: FakeCluster, config: Partial<KubernetesExecutorConfig> = {}) {
  const executor = executorFor(cluster, config);
  const log = new EventLog(executor);
  const exited = (launch: TrialLaunch) => log.exited(launch.attemptId, TIMEOUT_MS);
  return { executor, log, exited };
}

/** A launch for tenant acme running a /bin/sh script. */
export function shLaunch(script: string, extra: Partial<TrialLaunch> = {}): TrialLaunch {
  return uniqueAttemptLaunch({ tenant: 'acme', ...extra }, script);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
