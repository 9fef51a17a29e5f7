import { KubeConfig } from '@kubernetes/client-node';
import {
  consoleExecutorLog, EXECUTOR_API_VERSION, ExecutorEventHub, executorOptionChecks, submitGate, type Executor, type ExecutorLog, type PriorityClass, type TrialLaunch,
} from '@fairsweep/sdk';
import { KubeAttempt } from './k8s.attempt.js';
import { createKubeClient, type JobLike, type KubeClient, type PodLike } from './k8s.client.js';
import { classifyApiError, describeApiFailure, RETRYABLE_MARK, statusOf, type ApiFailure } from './k8s.errors.js';
import { LogFollower } from './k8s.logs.js';
import {
  ANNOTATIONS, CONTAINER_NAME, jobManifest, jobName, LABELS, launchPriority, manifestProblems, MANAGED_BY, labelValue, namespaceFor,
  type ManifestSettings, type NamespaceTemplate,
} from './k8s.manifest.js';
import { containerState, devicesOf, hasRun, jobEnd, jobIsOver, newestPod, pendingReason } from './k8s.states.js';
import { JobWatch } from './k8s.watch.js';

/** The package version; a test keeps it equal to package.json. */
export const KUBERNETES_EXECUTOR_VERSION = '0.1.0';

/** A name for a tenant and priority class: a template with `{tenant}` and `{priority}`, or a function. */
export type NameFor = string | ((tenant: string, priority: PriorityClass, launch: TrialLaunch) => string | undefined);

export interface KubernetesExecutorConfig {
  /** The container image trials run in (a function may pick one per launch). */
  image: string | ((launch: TrialLaunch) => string);
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** How to reach the API server (default: `loadFromDefault()` — in-cluster service account, else KUBECONFIG / ~/.kube/config). */
  kubeConfig?: KubeConfig;
  /** The namespace of a tenant's Jobs (default `fairsweep-{tenant}`); it must exist. Tenants are never merged: an invalid name fails the attempt. */
  namespace?: NamespaceTemplate;
  /** Label value telling this Fairsweep installation's Jobs apart from another's in the same cluster (default `fairsweep`). */
  instance?: string;
  /** When Kueue admits the Jobs: the LocalQueue (label `kueue.x-k8s.io/queue-name`; Jobs are created suspended) and optionally a WorkloadPriorityClass. */
  kueue?: { queueName: NameFor; workloadPriorityClass?: NameFor };
  /** The pod's priorityClassName for a Fairsweep priority class (none: the cluster default). */
  priorityClassFor?: (priority: PriorityClass, launch: TrialLaunch) => string | undefined;
  serviceAccountName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Array<Record<string, unknown>>;
  /** The extended resource GPUs are requested as (default `nvidia.com/gpu`). */
  gpuResource?: string;
  /** CPU limits equal to requests (default true: Guaranteed QoS); memory limits always equal requests. */
  cpuLimits?: boolean;
  /** Where params.json (read-only) and the working directory are mounted in the container (default `/fairsweep`). */
  mountRoot?: string;
  /** Variables every trial gets, below the spec's env. */
  hostEnv?: Record<string, string>;
  /** Grace period between SIGTERM and SIGKILL when cancelling (default 30000 ms), and the pods' terminationGracePeriodSeconds. */
  gracePeriodMs?: number;
  /** How a cancelled Job is deleted (default Foreground: the Job stays visible until its pods are gone). */
  propagationPolicy?: 'Foreground' | 'Background';
  /** Finished Jobs are deleted by Kubernetes this long after they end (default 86400 s; null: kept). Re-attach works while the Job exists. */
  ttlSecondsAfterFinished?: number | null;
  /** How often pods of attempts that have not started are looked at, for start and pending reasons (default 2000 ms). */
  pollIntervalMs?: number;
  /** Full list of Jobs besides the watch (default 30000 ms). */
  resyncIntervalMs?: number;
  /** First delay before re-opening a failed watch, doubled per failure up to 30 s (default 1000 ms). */
  watchReconnectMs?: number;
  /** Bytes of output lines sent as `log` events per attempt (default 10 MiB). */
  logLimitBytes?: number;
  /** How long the end of an attempt waits for its log stream to finish (default 5000 ms). */
  logDrainMs?: number;
  /** After a cancel: how long past the grace period to wait for the pods to go (default 30000 ms). */
  stopSlackMs?: number;
  /** Tries of an API call that failed with a retryable error before giving up (default 4). */
  apiAttempts?: number;
  /** Where the executor reports its own problems: watch and list failures while they are retried (as warnings), an event listener that threw (default: the console). */
  log?: ExecutorLog;
  /** Where watch and list failures go instead of `log.warn`. */
  onWarning?: (message: string) => void;
  /** The Kubernetes calls; for tests. */
  client?: KubeClient;
}

/** The Kubernetes executor: an Executor, plus what Kubernetes says of an attempt. */
export interface KubernetesExecutor extends Executor {
  /** The attempt's Job, once submitted. */
  jobOf(attemptId: string): { namespace: string; name: string } | undefined;
  /** Why an attempt is pending, in words ending in `(Kubernetes: <reason>)`; null when not pending. */
  pendingReasonOf(attemptId: string): string | null;
  /** Stops following Jobs without deleting them, as a restart would; a new executor re-attaches when given the attempt again. Later submits reject. */
  detach(): Promise<void>;
  /** Watch and list counters per namespace (for tests and diagnostics). */
  watchStats(): Record<string, { lists: number; watches: number; gone: number; errors: number }>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const { nonNegative, positive } = executorOptionChecks('kubernetes');

/** Runs each attempt as one batch/v1 Job and follows it by watch (with resync), pod status and pod logs. */
export function createKubernetesExecutor(config: KubernetesExecutorConfig): KubernetesExecutor {
  if (!config || (typeof config.image !== 'function' && (typeof config.image !== 'string' || config.image === ''))) {
    throw new TypeError('executor "kubernetes": image must be a non-empty string (the container image trials run in) or a function of the launch');
  }
  const gracePeriodMs = nonNegative(config.gracePeriodMs ?? 30000, 'gracePeriodMs');
  const pollIntervalMs = positive(config.pollIntervalMs ?? 2000, 'pollIntervalMs');
  const resyncIntervalMs = positive(config.resyncIntervalMs ?? 30000, 'resyncIntervalMs');
  const watchReconnectMs = positive(config.watchReconnectMs ?? 1000, 'watchReconnectMs');
  const logLimitBytes = nonNegative(config.logLimitBytes ?? 10 * 1024 * 1024, 'logLimitBytes');
  const logDrainMs = nonNegative(config.logDrainMs ?? 5000, 'logDrainMs');
  const stopSlackMs = nonNegative(config.stopSlackMs ?? 30000, 'stopSlackMs');
  const apiAttempts = Math.max(1, Math.floor(positive(config.apiAttempts ?? 4, 'apiAttempts')));
  const propagationPolicy = config.propagationPolicy ?? 'Foreground';
  if (propagationPolicy !== 'Foreground' && propagationPolicy !== 'Background') {
    throw new TypeError(`executor "kubernetes": propagationPolicy must be "Foreground" or "Background", got ${JSON.stringify(propagationPolicy)}`);
  }
  const namespaceTemplate = config.namespace ?? 'fairsweep-{tenant}';
  const instance = config.instance ?? 'fairsweep';
  const gpuResource = config.gpuResource ?? 'nvidia.com/gpu';
  const ttl = config.ttlSecondsAfterFinished === undefined ? 86400 : config.ttlSecondsAfterFinished;
  const client = config.client ?? createKubeClient(config.kubeConfig ?? defaultKubeConfig());
  const selector = `${LABELS.managedBy}=${MANAGED_BY},${LABELS.instance}=${labelValue(instance)}`;

  const attempts = new Map<string, KubeAttempt>();
  const byJob = new Map<string, KubeAttempt>();
  const watches = new Map<string, JobWatch>();
  const log = config.log ?? consoleExecutorLog('executor-kubernetes');
  const events = new ExecutorEventHub(log);
  let closed = false;
  let detached = false;
  let pollTimer: NodeJS.Timeout | undefined;
  const warn = config.onWarning ?? ((message: string) => log.warn(message));
  const key = (namespace: string, name: string) => `${namespace}/${name}`;
  const unfinished = () => [...attempts.values()].filter((a) => !a.isFinished && !a.detached);

  /** Calls the API, trying again on retryable failures (429, 5xx, connection refused) with backoff. */
  const call = async <T>(what: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await what();
      } catch (error) {
        if (attempt >= apiAttempts || !classifyApiError(error).retryable || detached) throw error;
        await sleep(Math.min(5000, 250 * 2 ** (attempt - 1)));
      }
    }
  };

  const kueueName = (nameFor: NameFor | undefined, launch: TrialLaunch): string | undefined => {
    if (nameFor === undefined) return undefined;
    const priority = launchPriority(launch);
    return typeof nameFor === 'function' ? nameFor(launch.tenant, priority, launch) : nameFor.split('{tenant}').join(launch.tenant).split('{priority}').join(priority);
  };

  const settingsFor = (launch: TrialLaunch, namespace: string): ManifestSettings => ({
    namespace,
    image: typeof config.image === 'function' ? config.image(launch) : config.image,
    imagePullPolicy: config.imagePullPolicy,
    instance,
    mountRoot: config.mountRoot ?? '/fairsweep',
    terminationGraceSeconds: Math.ceil(gracePeriodMs / 1000),
    kueueQueue: kueueName(config.kueue?.queueName, launch),
    kueuePriorityClass: kueueName(config.kueue?.workloadPriorityClass, launch),
    priorityClassName: config.priorityClassFor?.(launchPriority(launch), launch),
    serviceAccountName: config.serviceAccountName,
    nodeSelector: config.nodeSelector,
    tolerations: config.tolerations,
    cpuLimits: config.cpuLimits ?? true,
    gpuResource,
    ttlSecondsAfterFinished: ttl,
    hostEnv: config.hostEnv ?? {},
  });

  // ---- observation -------------------------------------------------------------------------

  const watchFor = (namespace: string): JobWatch => {
    let watch = watches.get(namespace);
    if (!watch) {
      watch = new JobWatch(client, namespace, selector, {
        onJob(type, job) {
          const attempt = byJob.get(key(namespace, job.metadata?.name ?? ''));
          if (!attempt || attempt.isFinished) return;
          if (type === 'DELETED') attempt.jobGone = true;
          else attempt.job = job;
          kick(attempt);
        },
        onList(items, startedAt) {
          const seen = new Map(items.map((job) => [job.metadata?.name ?? '', job]));
          for (const attempt of unfinished()) {
            if (attempt.namespace !== namespace || !attempt.job) continue;
            const job = seen.get(attempt.jobName);
            if (job) attempt.job = job;
            else if (attempt.knownSince > 0 && attempt.knownSince < startedAt) attempt.jobGone = true;
            kick(attempt);
          }
        },
        onError: warn,
      }, { resyncIntervalMs, reconnectMs: watchReconnectMs });
      watches.set(namespace, watch);
      watch.start();
    }
    return watch;
  };

  /** Reconciles an attempt with what Kubernetes says; one run at a time per attempt. */
  const kick = (attempt: KubeAttempt): void => {
    if (attempt.reconciling) {
      attempt.again = true;
      return;
    }
    attempt.reconciling = (async () => {
      do {
        attempt.again = false;
        try {
          await reconcile(attempt);
        } catch (error) {
          attempt.note(`could not read the state of Job ${attempt.namespace}/${attempt.jobName} (will retry): ${describeApiFailure(classifyApiError(error))}`);
        }
      } while (attempt.again && !attempt.isFinished && !attempt.detached);
    })().finally(() => (attempt.reconciling = undefined));
  };

  const podsOf = (attempt: KubeAttempt): Promise<PodLike[]> => client.listPods(attempt.namespace, `${LABELS.job}=${attempt.jobName}`);

  const startLogs = (attempt: KubeAttempt, pod: PodLike): void => {
    const podName = pod.metadata?.name;
    if (!podName) return;
    if (!attempt.logs || attempt.logs.pod !== podName) {
      attempt.logs?.stop();
      attempt.podName = podName;
      attempt.logs = new LogFollower(client, attempt.namespace, podName, CONTAINER_NAME, (line) => attempt.line(line));
    }
    if (!attempt.logs.isFollowing) {
      attempt.logs.follow().catch((error) => {
        // e.g. 400 "container is waiting to start": tried again on the next poll
        if (statusOf(error) !== 400) attempt.note(`could not follow the log of pod ${podName}: ${describeApiFailure(classifyApiError(error))}`);
      });
    }
  };

  const reconcile = async (attempt: KubeAttempt): Promise<void> => {
    if (attempt.isFinished || attempt.finishing || attempt.cancel || attempt.detached || !attempt.job) return;
    if (attempt.jobGone) {
      attempt.finishing = true;
      await attempt.logs?.drain(logDrainMs);
      return attempt.finish('failed', `Job ${attempt.namespace}/${attempt.jobName} was deleted outside Fairsweep before it ended ${RETRYABLE_MARK}`);
    }
    const pods = await podsOf(attempt);
    if (attempt.isFinished || attempt.finishing || attempt.cancel || attempt.detached) return;
    const job = attempt.job;
    const pod = (attempt.podName && pods.find((p) => p.metadata?.name === attempt.podName)) || newestPod(pods);
    if (pod && hasRun(pod)) {
      const devices = devicesOf(pod, gpuResource);
      attempt.started(pod.spec?.nodeName ?? 'unknown', devices, isolationNotes(attempt, devices));
      startLogs(attempt, pod);
    }
    if (attempt.isStarted && job.spec?.suspend && !jobIsOver(job)) {
      // Kueue evicted the workload (preemption, or its admission was revoked): it would run the Job
      // again later from the start. Fairsweep records the attempt as ended and retries it instead.
      attempt.finishing = true;
      await deleteJob(attempt, 0, 'Background').catch(() => undefined);
      await attempt.logs?.drain(logDrainMs);
      return attempt.finish('failed', `Kueue evicted the running Job (suspended it again); the attempt will not be resumed in place ${RETRYABLE_MARK}`);
    }
    if (jobIsOver(job)) {
      attempt.finishing = true;
      if (pod && hasRun(pod)) {
        if (!attempt.logs) startLogs(attempt, pod);
        await attempt.logs?.drain(logDrainMs);
      }
      const end = jobEnd(job, pod);
      return attempt.finish(end.outcome, end.reason, end.exitCode, end.signal);
    }
    if (!attempt.isStarted) attempt.pending(pendingReason(job, pod, kueueName(config.kueue?.queueName, attempt.launch)));
  };

  /** Looks at pods of attempts that have not started (pending reasons, start) or whose log stream broke. */
  const schedulePoll = () => {
    if (pollTimer || closed) return;
    pollTimer = setTimeout(() => {
      pollTimer = undefined;
      for (const attempt of unfinished()) {
        if (attempt.job && !attempt.cancel && (!attempt.isStarted || !attempt.logs?.isFollowing)) kick(attempt);
      }
      if (unfinished().length > 0) schedulePoll();
    }, pollIntervalMs);
  };

  // ---- submit, re-attach --------------------------------------------------------------------

  const launchAttempt = async (attempt: KubeAttempt): Promise<void> => {
    const { launch } = attempt;
    const manifest = jobManifest(launch, settingsFor(launch, attempt.namespace));
    const problems = manifestProblems(manifest);
    if (problems.length > 0) return attempt.finish('failed', `invalid Job for attempt ${launch.attemptId}: ${problems.join('; ')}`);
    watchFor(attempt.namespace);
    let job: JobLike;
    try {
      job = await call(() => client.createJob(attempt.namespace, manifest));
    } catch (error) {
      if (statusOf(error) === 409) {
        // AlreadyExists: an earlier executor created it. Adopt it if it is this attempt's.
        try {
          job = await call(() => client.readJob(attempt.namespace, attempt.jobName));
        } catch (readError) {
          return refused(attempt, 'read the existing Job', classifyApiError(readError));
        }
        const owner = job.metadata?.annotations?.[ANNOTATIONS.attemptId];
        if (owner !== launch.attemptId) {
          return attempt.finish('failed', `Job ${attempt.namespace}/${attempt.jobName} already exists for another attempt (${JSON.stringify(owner)}), not ${launch.attemptId}`);
        }
        attempt.reattached = true;
        attempt.note(`re-attached to the existing Job ${attempt.namespace}/${attempt.jobName}`);
      } else {
        return refused(attempt, 'create the Job', classifyApiError(error));
      }
    }
    attempt.job = job;
    attempt.knownSince = Date.now();
    if (attempt.cancel) return stopJob(attempt);
    kick(attempt);
    schedulePoll();
  };

  const refused = (attempt: KubeAttempt, what: string, failure: ApiFailure): void => {
    const where = `Job ${attempt.namespace}/${attempt.jobName}`;
    attempt.finish('failed', failure.retryable
      ? `could not ${what} (${where}), Kubernetes API unavailable: ${describeApiFailure(failure)} ${RETRYABLE_MARK}`
      : `Kubernetes refused to ${what} (${where}): ${describeApiFailure(failure)}`);
  };

  // ---- cancel ---------------------------------------------------------------------------------

  const deleteJob = async (attempt: KubeAttempt, graceSeconds: number, policy: 'Foreground' | 'Background') => {
    try {
      await call(() => client.deleteJob(attempt.namespace, attempt.jobName, graceSeconds, policy));
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  };

  /**
   * Deletes the Job (its controller then makes no new pod) and each of its pods with the grace
   * period: the kubelet sends SIGTERM, waits, then SIGKILL. The pods are deleted explicitly because
   * the garbage collector deletes a Job's pods with their own terminationGracePeriodSeconds, not the
   * Job's. The attempt ends once its pods are gone.
   */
  const stopJob = async (attempt: KubeAttempt): Promise<void> => {
    const { reason, graceMs } = attempt.cancel!;
    const graceSeconds = Math.ceil(graceMs / 1000);
    // The pods as they are before the Job goes: the garbage collector may remove them (with their
    // own grace period) before a later list sees them, so these get the cancel's grace right away.
    const before = await podsOf(attempt).catch(() => [] as PodLike[]);
    try {
      await deleteJob(attempt, graceSeconds, propagationPolicy);
    } catch (error) {
      attempt.note(`could not delete Job ${attempt.namespace}/${attempt.jobName}: ${describeApiFailure(classifyApiError(error))}`);
    }
    const deadline = Date.now() + graceMs + stopSlackMs;
    const deleted = new Set<string>();
    let last: PodLike | undefined = before[before.length - 1];
    for (const pod of before) {
      const name = pod.metadata?.name ?? '';
      if (!name) continue;
      deleted.add(name);
      await call(() => client.deletePod(attempt.namespace, name, graceSeconds)).catch((error) => {
        if (statusOf(error) !== 404) attempt.note(`could not delete pod ${name}: ${describeApiFailure(classifyApiError(error))}`);
      });
    }
    for (;;) {
      let pods: PodLike[] | undefined;
      try {
        pods = await podsOf(attempt);
      } catch (error) {
        attempt.note(`could not list the pods of Job ${attempt.jobName}: ${describeApiFailure(classifyApiError(error))}`);
      }
      if (pods) {
        for (const pod of pods) {
          const name = pod.metadata?.name ?? '';
          if (!name) continue;
          last = pod;
          if (hasRun(pod) && attempt.isStarted) startLogs(attempt, pod);
          if (deleted.has(name)) continue;
          deleted.add(name);
          await call(() => client.deletePod(attempt.namespace, name, graceSeconds)).catch((error) => {
            if (statusOf(error) !== 404) attempt.note(`could not delete pod ${name}: ${describeApiFailure(classifyApiError(error))}`);
          });
        }
        if (pods.length === 0) break;
      }
      if (Date.now() > deadline) {
        attempt.note(`the pods of Job ${attempt.jobName} were still terminating ${graceMs + stopSlackMs} ms after the cancel; recorded as cancelled anyway`);
        break;
      }
      await sleep(200);
      if (attempt.detached) return;
    }
    attempt.finishing = true;
    await attempt.logs?.drain(logDrainMs);
    const terminated = containerState(last)?.terminated;
    attempt.finish('cancelled', reason, typeof terminated?.exitCode === 'number' ? terminated.exitCode : null, null);
  };

  const stop = async (attempt: KubeAttempt, reason: string, graceMs: number): Promise<void> => {
    if (attempt.isFinished || attempt.finishing || attempt.cancel) return attempt.done;
    attempt.cancel = { reason, graceMs };
    if (attempt.job) void stopJob(attempt);
    // else: launchAttempt stops it once the Job exists (or finishes it if creation fails)
    return attempt.done;
  };

  return {
    name: 'kubernetes',
    kind: 'executor',
    apiVersion: EXECUTOR_API_VERSION,
    version: KUBERNETES_EXECUTOR_VERSION,

    submit(launch: TrialLaunch): Promise<void> {
      const answered = submitGate('kubernetes', launch.attemptId, attempts.get(launch.attemptId)?.submitted, closed);
      if (answered) return answered;
      const problems = launchProblems(launch);
      const ns = namespaceFor(namespaceTemplate, launch.tenant);
      const namespace = 'namespace' in ns ? ns.namespace : '';
      const attempt = new KubeAttempt(launch, namespace, jobName(launch.attemptId), events.emit, logLimitBytes);
      attempts.set(launch.attemptId, attempt);
      if ('problem' in ns) problems.push(ns.problem);
      if (problems.length > 0) {
        attempt.finish('failed', `invalid launch: ${problems.join('; ')}`);
        return attempt.submitted;
      }
      byJob.set(key(namespace, attempt.jobName), attempt);
      attempt.submitted = launchAttempt(attempt);
      return attempt.submitted;
    },

    async cancel(attemptId: string, opts: { graceMs?: number; reason?: string } = {}): Promise<void> {
      const graceMs = nonNegative(opts.graceMs ?? gracePeriodMs, 'graceMs');
      const attempt = attempts.get(attemptId);
      if (attempt && !attempt.detached) await stop(attempt, opts.reason ?? 'cancelled', graceMs);
    },

    onEvent: events.onEvent,

    async close(): Promise<void> {
      closed = true;
      await Promise.all(unfinished().map((a) => stop(a, 'executor closed', gracePeriodMs)));
      shutDown();
    },

    async detach(): Promise<void> {
      closed = true;
      detached = true;
      for (const attempt of attempts.values()) attempt.detach();
      attempts.clear();
      byJob.clear();
      shutDown();
    },

    jobOf(attemptId) {
      const attempt = attempts.get(attemptId);
      return attempt && attempt.namespace ? { namespace: attempt.namespace, name: attempt.jobName } : undefined;
    },
    pendingReasonOf: (attemptId) => attempts.get(attemptId)?.pendingReason ?? null,
    watchStats: () => Object.fromEntries([...watches].map(([ns, w]) => [ns, { ...w.stats }])),
  };

  function shutDown() {
    clearTimeout(pollTimer);
    pollTimer = undefined;
    for (const watch of watches.values()) watch.stop();
    watches.clear();
  }
}

/** How the attempt is isolated, for provenance (the `started` event's notes). */
function isolationNotes(attempt: KubeAttempt, devices: string[]): string[] {
  const { gpus } = attempt.launch.resources;
  const notes = [`Job ${attempt.namespace}/${attempt.jobName}: container resources requests = limits (memory${gpus > 0 ? ', GPUs' : ''}), enforced by the kubelet`];
  if (gpus > 0 && devices.length === 0) notes.push('GPU ids not reported by the cluster (allocatedResourcesStatus needs Kubernetes >= 1.31 with ResourceHealthStatus); the device plugin chose them');
  return notes;
}

/** Problems that make a launch unusable (no command); `[]` when fine. Ids may be any text: names and labels are derived safely. */
export function launchProblems(launch: TrialLaunch): string[] {
  const problems: string[] = [];
  for (const field of ['tenant', 'experimentId', 'trialId', 'attemptId'] as const) {
    if (typeof launch[field] !== 'string' || launch[field] === '') problems.push(`${field} must be a non-empty string`);
  }
  if (!Array.isArray(launch.command) || launch.command.length === 0 || launch.command.some((a) => typeof a !== 'string') || launch.command[0] === '') {
    problems.push('command must be a non-empty list of strings with a program first');
  }
  return problems;
}

function defaultKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromDefault();
  return kc;
}
