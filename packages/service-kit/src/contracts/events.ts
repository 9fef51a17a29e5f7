/**
 * Event contracts between services. Each event is written to its producer's outbox in the same
 * transaction as the change it announces (see outbox.ts) and consumed idempotently.
 * Topics are versioned by name; payloads only ever gain optional fields.
 */
export const SOURCES = { tenancy: 'tenancy', experiments: 'experiments', compute: 'compute' } as const;

export interface ResourceAmounts {
  cpus: number;
  gpus: number;
  memoryMb: number;
}

// ---- tenancy ----
/** tenancy → compute: the tenant's hard quota as of a policy version. */
export interface TenantQuotaChanged extends ResourceAmounts {
  tenant: string;
  version: number;
  concurrentTrials: number;
  /** Fair-share weight (> 0); absent in events from before it existed: 1. */
  weight?: number;
  /** Priority classes the tenant may use; absent: standard and preemptible. */
  priorityClasses?: string[];
  /** GPU-hours per budget period; null or absent: no budget. */
  gpuHoursBudget?: number | null;
  /** day, week or month (UTC reset), or decay; absent: month. */
  budgetPeriod?: string;
  /** decay: hours after which a consumed GPU-hour counts half; null/absent for reset periods. */
  budgetHalfLifeHours?: number | null;
  /** Admit GPU trials only if their maximum runtime fits the remaining budget; absent: true. */
  budgetSafeMode?: boolean;
  /** Cohort whose members lend each other unused nominal quota; null/absent: none. */
  cohort?: string | null;
  /** How far above nominal the tenant may borrow, per resource; null/absent: no limit. */
  borrowingLimit?: Partial<ResourceAmounts> | null;
  /** How much unused nominal the tenant lends, per resource; null/absent: all of it. */
  lendingLimit?: Partial<ResourceAmounts> | null;
  /** Unused nominal the tenant keeps unlent above its current use, per resource; null/absent: none. */
  lendingHeadroom?: Partial<ResourceAmounts> | null;
  /** Bytes the tenant may keep in the artifact store (experiments enforces it); null/absent: no limit. */
  storageBytes?: number | null;
  /**
   * Hard GPU caps per flavor (GPU device type) inside `gpus`; when non-empty, other flavors may not
   * be used. null/absent/empty: any flavor.
   */
  /** Per GPU flavor: nominal gpus, and for cohort members optional borrowing and lending limits of the flavor. */
  gpuFlavors?: { flavor: string; gpus: number; borrowingLimit?: number; lendingLimit?: number }[] | null;
  changedBy: string;
  reason: string | null;
}
/**
 * tenancy → compute: a project's hard limits inside its tenant, as of a project policy version.
 * A null limit means none on that resource (the tenant's quota still applies).
 */
export interface ProjectQuotaChanged {
  tenant: string;
  /** The project slug (what experiment specs name in `project`). */
  project: string;
  version: number;
  cpus: number | null;
  gpus: number | null;
  memoryMb: number | null;
  concurrentTrials: number | null;
  /** GPU-hours per budget period; null = no project budget. Absent in events published before project budgets existed (= none). */
  gpuHoursBudget?: number | null;
  /** day, week or month (UTC reset), or decay; absent = month. */
  budgetPeriod?: string;
  /** decay: hours after which a consumed GPU-hour counts half; null/absent for reset periods. */
  budgetHalfLifeHours?: number | null;
  /** Admit GPU trials only if their maximum runtime fits what is left; absent = true. */
  budgetSafeMode?: boolean;
  changedBy: string;
  reason: string | null;
}

/**
 * tenancy → compute: a cohort's own policy as of a cohort policy version (platform-wide: the outbox
 * tenant is PLATFORM_EVENT_TENANT). Cohorts exist by name in tenants' quotas; this adds what the
 * cohort as a whole keeps.
 */
export interface CohortPolicyChanged {
  cohort: string;
  version: number;
  /**
   * Lendable capacity the cohort as a whole keeps unlent, per resource: borrowing stops this far
   * below what the members lend, so members' own new work starts at once. null/absent: none.
   */
  lendingHeadroom?: Partial<ResourceAmounts> | null;
  changedBy: string;
  reason: string | null;
}

// ---- experiments ----
/** experiments → compute: a trial is ready to be queued for admission. */
export interface TrialCreated {
  trialId: string;
  experimentId: string;
  tenant: string;
  trialIndex: number;
  command: string[];
  env: Record<string, string>;
  params: Record<string, number | string | boolean>;
  seed: number;
  /** The spec's trial resources; `gpuType` (the GPU flavor the trial needs, or the flavors any of which will do, most preferred first) is absent when any pool will do. */
  resources: ResourceAmounts & { gpuType?: string | string[] };
  executor: string;
  maxRuntimeSeconds: number | null;
  /** critical, standard or preemptible; absent: standard. */
  priority?: string;
  /** The experiment's project slug (project quotas apply); null/absent: none. */
  project?: string | null;
  /** The experiment's maximum trial count and parallel trials (compute's completion estimate); absent: unknown. */
  maxTrials?: number;
  maxParallel?: number;
}
/** experiments → compute: stop every queued or running trial of the experiment. */
export interface ExperimentCancelRequested {
  experimentId: string;
  tenant: string;
  requestedBy: string;
  reason: string;
}
/**
 * experiments → compute: stop one trial's queued run or running attempt (a pruning decision).
 * compute stops a running attempt through its cancel path (stop file, SIGTERM, grace period,
 * SIGKILL), recording the reason as `<reason>: <message>`; the trial's terminal state is decided
 * by experiments (`pruned`).
 */
export interface TrialStopRequested {
  trialId: string;
  experimentId: string;
  tenant: string;
  /** Machine-readable: `pruned`. */
  reason: 'pruned';
  /** In words, e.g. `median@0.1.0 at step 3: best value 0.9 … is worse than the median 0.4 …`. */
  message: string;
  /** Who decided, e.g. `pruner median@0.1.0`. */
  requestedBy: string;
  at: string;
}

// ---- compute ----
export interface TrialStarted {
  trialId: string;
  experimentId: string;
  tenant: string;
  attemptId: string;
  attempt: number;
  pool: string;
  host: string;
  devices: string[];
  /** The attempt's working directory on its host (local executor: holds stdout.log and stderr.log); absent: unknown. */
  workDir?: string | null;
  /** The pool's declared device type (e.g. "a100-80gb"); absent or null: not declared. */
  deviceType?: string | null;
  /** The pool's declared throughput relative to the reference device (2 = twice as fast); absent: 1. */
  throughputFactor?: number | null;
  /** The executor plugin that runs the attempt; absent: not reported. */
  executor?: { name: string; version: string } | null;
  /** The tenant quota policy version the attempt was admitted under. */
  quotaVersion?: number | null;
  /** What each device lent to the attempt is (id, uuid, name, memory), as the executor reports it. */
  gpus?: { id: string; uuid?: string; name?: string; memoryMb?: number }[];
  /** How the attempt was isolated (e.g. which cgroup limits were or were not applied), in words. */
  notes?: string[];
  at: string;
}
export interface TrialMetricReported {
  trialId: string;
  experimentId: string;
  tenant: string;
  attemptId: string;
  name: string;
  value: number;
  step: number | null;
  at: string;
}
export interface TrialFinished {
  trialId: string;
  experimentId: string;
  tenant: string;
  attemptId: string | null;
  outcome: 'succeeded' | 'failed' | 'cancelled';
  exitCode: number | null;
  signal: string | null;
  reason: string;
  at: string;
}
/** compute → experiments: an attempt was preempted; the trial waits again for a new attempt. */
export interface TrialPreempted {
  trialId: string;
  experimentId: string;
  tenant: string;
  attemptId: string;
  reason: string;
  at: string;
}
/** compute → subscribers: a tenant's usage changed (admission, release, quota update). */
export interface TenantUsageChanged {
  tenant: string;
}

/**
 * compute → experiments: a compute process started with this pool and executor (published at every
 * start; platform-wide, so its outbox `tenant` is empty). Experiments accepts the executors of
 * registered pools in specs (`trial.executor`, `rerun --executor`) besides FAIRSWEEP_EXECUTORS.
 */
export interface PoolRegistered {
  pool: string;
  executor: { name: string; version: string; apiVersion: string } | null;
  deviceType: string | null;
  at: string;
}

/** compute → experiments: a platform admin decommissioned the pool (its executor is no longer offered by it). */
export interface PoolDecommissioned {
  pool: string;
  at: string;
}

/** The outbox `tenant` of platform-wide events (no tenant's subscription sees them). */
export const PLATFORM_EVENT_TENANT = '';

export const TOPICS = {
  tenantQuotaChanged: 'tenant.quota.changed',
  projectQuotaChanged: 'project.quota.changed',
  cohortPolicyChanged: 'cohort.policy.changed',
  trialCreated: 'trial.created',
  experimentCancelRequested: 'experiment.cancel.requested',
  trialStopRequested: 'trial.stop.requested',
  trialStarted: 'trial.started',
  trialMetricReported: 'trial.metric.reported',
  trialFinished: 'trial.finished',
  trialPreempted: 'trial.preempted',
  tenantUsageChanged: 'tenant.usage.changed',
  poolRegistered: 'pool.registered',
  poolDecommissioned: 'pool.decommissioned',
  // experiments' own events, feeding the trialProgress subscription
  trialStateChanged: 'trial.state.changed',
  trialMetricRecorded: 'trial.metric.recorded',
  experimentFinished: 'experiment.finished',
} as const;
