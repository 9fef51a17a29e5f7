import type { Writable } from 'node:stream';
import { BatchV1Api, CoreV1Api, KubeConfig, Log, Watch, type V1Job } from '@kubernetes/client-node';

type Time = string | Date | undefined | null;

/** The fields of a Job this executor reads: from list (typed models) and watch (plain JSON) alike. */
export interface JobLike {
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string; annotations?: Record<string, string>; labels?: Record<string, string>; deletionTimestamp?: Time };
  spec?: { suspend?: boolean; activeDeadlineSeconds?: number };
  status?: {
    active?: number; ready?: number; succeeded?: number; failed?: number; startTime?: Time; completionTime?: Time;
    conditions?: Array<{ type?: string; status?: string; reason?: string; message?: string }>;
  };
}

export interface ContainerStateLike {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: Time };
  terminated?: { exitCode?: number; signal?: number; reason?: string; message?: string; startedAt?: Time; finishedAt?: Time };
}

export interface PodLike {
  metadata?: { name?: string; creationTimestamp?: Time; deletionTimestamp?: Time; uid?: string };
  spec?: { nodeName?: string };
  status?: {
    phase?: string; reason?: string; message?: string;
    conditions?: Array<{ type?: string; status?: string; reason?: string; message?: string }>;
    containerStatuses?: Array<{
      name?: string; state?: ContainerStateLike;
      allocatedResourcesStatus?: Array<{ name?: string; resources?: Array<{ resourceID?: string }> }>;
    }>;
  };
}

export interface WatchHandle {
  abort(): void;
}

/** The Kubernetes calls the executor makes, on @kubernetes/client-node. */
export interface KubeClient {
  createJob(namespace: string, job: Record<string, unknown>): Promise<JobLike>;
  readJob(namespace: string, name: string): Promise<JobLike>;
  listJobs(namespace: string, labelSelector: string): Promise<{ items: JobLike[]; resourceVersion: string }>;
  /** Streams watch events from `resourceVersion`; `done` is called once when the stream ends or fails. */
  watchJobs(namespace: string, labelSelector: string, resourceVersion: string, onEvent: (type: string, object: unknown) => void, done: (error: unknown) => void): Promise<WatchHandle>;
  deleteJob(namespace: string, name: string, gracePeriodSeconds: number, propagationPolicy: 'Foreground' | 'Background'): Promise<void>;
  listPods(namespace: string, labelSelector: string): Promise<PodLike[]>;
  deletePod(namespace: string, name: string, gracePeriodSeconds: number): Promise<void>;
  /** Follows a container's log into `into` (ended when the container ends); the handle stops it. */
  followLog(namespace: string, pod: string, container: string, into: Writable): Promise<WatchHandle>;
  readLog(namespace: string, pod: string, container: string): Promise<string>;
}

export function createKubeClient(kubeConfig: KubeConfig): KubeClient {
  const batch = kubeConfig.makeApiClient(BatchV1Api);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const watch = new Watch(kubeConfig);
  const log = new Log(kubeConfig);
  return {
    createJob: (namespace, job) => batch.createNamespacedJob({ namespace, body: job as V1Job }),
    readJob: (namespace, name) => batch.readNamespacedJob({ name, namespace }),
    async listJobs(namespace, labelSelector) {
      const list = await batch.listNamespacedJob({ namespace, labelSelector });
      return { items: list.items, resourceVersion: list.metadata?.resourceVersion ?? '' };
    },
    watchJobs: (namespace, labelSelector, resourceVersion, onEvent, done) =>
      watch.watch(`/apis/batch/v1/namespaces/${encodeURIComponent(namespace)}/jobs`, { labelSelector, resourceVersion, allowWatchBookmarks: true }, (type, object) => onEvent(type, object), done),
    async deleteJob(namespace, name, gracePeriodSeconds, propagationPolicy) {
      await batch.deleteNamespacedJob({ name, namespace, gracePeriodSeconds, propagationPolicy });
    },
    async listPods(namespace, labelSelector) {
      return (await core.listNamespacedPod({ namespace, labelSelector })).items;
    },
    async deletePod(namespace, name, gracePeriodSeconds) {
      await core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds });
    },
    followLog: (namespace, pod, container, into) => log.log(namespace, pod, container, into, { follow: true }),
    readLog: (namespace, pod, container) => core.readNamespacedPodLog({ name: pod, namespace, container }),
  };
}

/**
 * A KubeConfig for one API server URL (tests, or a proxy such as `kubectl proxy`). client-node
 * refuses plain `http://` servers unless skipTLSVerify is set ("HTTP protocol is not allowed when
 * skipTLSVerify is not set or false"), so it is set for those — there is no TLS to verify.
 */
export function kubeConfigFor(server: string, options: { token?: string; skipTLSVerify?: boolean } = {}): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fairsweep', server, skipTLSVerify: options.skipTLSVerify ?? server.startsWith('http://') }],
    users: [{ name: 'fairsweep', ...(options.token ? { token: options.token } : {}) }],
    contexts: [{ name: 'fairsweep', cluster: 'fairsweep', user: 'fairsweep' }],
    currentContext: 'fairsweep',
  });
  return kc;
}

export function timeOf(value: Time): Date | null {
  if (!value) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
