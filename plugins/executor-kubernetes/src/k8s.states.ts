import { constants } from 'node:os';
import type { TrialOutcome } from '@fairsweep/sdk';
import type { ContainerStateLike, JobLike, PodLike } from './k8s.client.js';
import { CONTAINER_NAME } from './k8s.manifest.js';
import { RETRYABLE_MARK } from './k8s.errors.js';

export interface JobEnd {
  outcome: TrialOutcome;
  reason: string;
  exitCode: number | null;
  signal: string | null;
}

const SIGNAL_NAMES = new Map(Object.entries(constants.signals).map(([name, num]) => [num, name]));

export function containerState(pod: PodLike | undefined): ContainerStateLike | undefined {
  return pod?.status?.containerStatuses?.find((c) => c.name === CONTAINER_NAME)?.state;
}

/** The newest pod (a Job with backoffLimit 0 has one, but a replaced pod may linger while terminating). */
export function newestPod(pods: PodLike[]): PodLike | undefined {
  const time = (p: PodLike) => new Date(p.metadata?.creationTimestamp ?? 0).getTime();
  return [...pods].sort((a, b) => time(b) - time(a))[0];
}

/** Whether the trial's process has run in this pod (running now, or ended after starting). */
export function hasRun(pod: PodLike | undefined): boolean {
  const state = containerState(pod);
  if (state?.running) return true;
  const reason = state?.terminated?.reason ?? '';
  return state?.terminated !== undefined && reason !== 'StartError' && reason !== 'ContainerCannotRun';
}

/** GPU ids the device plugin reported for the container (allocatedResourcesStatus, Kubernetes ≥ 1.31 with ResourceHealthStatus); [] when not reported. */
export function devicesOf(pod: PodLike | undefined, gpuResource: string): string[] {
  const status = pod?.status?.containerStatuses?.find((c) => c.name === CONTAINER_NAME);
  const entry = status?.allocatedResourcesStatus?.find((r) => r.name === gpuResource);
  return (entry?.resources ?? []).map((r) => r.resourceID ?? '').filter((id) => id !== '');
}

function condition(job: JobLike, type: string) {
  return job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

/** Whether the Job is over (Complete or Failed), from its conditions or, on old servers, its counts. */
export function jobIsOver(job: JobLike): boolean {
  return Boolean(condition(job, 'Complete') || condition(job, 'Failed') || (job.status?.succeeded ?? 0) > 0 || (job.status?.failed ?? 0) > 0);
}

/** Why a Job is not running yet, in words ending in `(Kubernetes: <reason>)`; null when nothing is known. */
export function pendingReason(job: JobLike, pod: PodLike | undefined, kueueQueue: string | undefined): string | null {
  if (job.spec?.suspend) {
    return kueueQueue
      ? `suspended until Kueue admits it to queue ${kueueQueue} (quota or priority) (Kubernetes: Suspended)`
      : 'the Job is suspended (Kubernetes: Suspended)';
  }
  if (!pod) return null;
  const unscheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unscheduled) return `no node can take the pod: ${unscheduled.message ?? 'no message'} (Kubernetes: ${unscheduled.reason ?? 'Unschedulable'})`;
  const waiting = containerState(pod)?.waiting;
  if (waiting?.reason && waiting.reason !== 'ContainerCreating') {
    return `the container cannot start yet: ${waiting.message ?? waiting.reason} (Kubernetes: ${waiting.reason})`;
  }
  return null;
}

function signalName(num: number | undefined): string | null {
  return num ? (SIGNAL_NAMES.get(num) ?? `SIG${num}`) : null;
}

/** How an attempt ended, from its finished Job and its pod. */
export function jobEnd(job: JobLike, pod: PodLike | undefined): JobEnd {
  const terminated = containerState(pod)?.terminated;
  const exitCode = typeof terminated?.exitCode === 'number' ? terminated.exitCode : null;
  const signal = signalName(terminated?.signal);
  const how = signal ? `killed by signal ${signal}` : `exited with code ${exitCode ?? 'unknown'}`;
  if (condition(job, 'Complete') || ((job.status?.succeeded ?? 0) > 0 && !condition(job, 'Failed'))) {
    return { outcome: exitCode === 0 || exitCode === null ? 'succeeded' : 'failed', reason: exitCode === null ? 'the Job completed' : how, exitCode, signal };
  }
  const failed = condition(job, 'Failed');
  // DisruptionTarget (preemption, taint eviction, Eviction API, node pressure) or Evicted: the
  // cluster took the pod away, which says nothing about the trial itself.
  const disruption = pod?.status?.conditions?.find((c) => c.type === 'DisruptionTarget' && c.status === 'True');
  if (disruption || pod?.status?.reason === 'Evicted') {
    const why = disruption ? `${disruption.message ?? 'the pod was disrupted'} (Kubernetes: ${disruption.reason ?? 'DisruptionTarget'})` : `${pod?.status?.message ?? 'the pod was evicted'} (Kubernetes: Evicted)`;
    return { outcome: 'failed', reason: `the cluster took the pod away: ${why} ${RETRYABLE_MARK}`, exitCode, signal };
  }
  if (failed?.reason === 'DeadlineExceeded') {
    const limit = job.spec?.activeDeadlineSeconds;
    return { outcome: 'failed', reason: `exceeded its maximum run time${limit ? ` of ${limit} s` : ''} (Kubernetes: DeadlineExceeded)`, exitCode, signal };
  }
  if (terminated?.reason === 'OOMKilled') {
    return { outcome: 'failed', reason: `ran out of memory: ${how} (Kubernetes: OOMKilled)`, exitCode, signal };
  }
  if (terminated) return { outcome: 'failed', reason: how, exitCode, signal };
  return { outcome: 'failed', reason: `the Job failed without a container exit: ${failed?.message ?? 'no message'} (Kubernetes: ${failed?.reason ?? 'Failed'})`, exitCode, signal };
}
