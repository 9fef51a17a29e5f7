/** Inputs and outputs of the admission decision. Plain data: no ORM, no GraphQL. */
export interface ResourceRequest {
  cpus: number;
  gpus: number;
  memoryMb: number;
}

export interface PoolCapacity extends ResourceRequest {
  name: string;
  /** GPU device ids handed out to admitted runs; `gpus` of them when not configured. */
  gpuIds: string[];
  /** The pool's GPU flavor (its declared deviceType, e.g. "h100"); null/absent = none. */
  flavor?: string | null;
  /** The executor the pool runs its trials on (e.g. "slurm"); absent: as `poolExecutors` lists it; null: unknown. */
  executor?: string | null;
}

/** A tenant's GPUs of one flavor, inside its `gpus` (flavor.rules.ts). */
export interface GpuFlavorQuota {
  flavor: string;
  /** Nominal GPUs of the flavor; without a borrowing limit also the cap. */
  gpus: number;
  /** A cohort member may use this many more of the flavor, lent by members' unused nominal of it; null/absent: none. */
  borrowingLimit?: number | null;
  /** At most this many of its unused GPUs of the flavor are lent to the cohort; null/absent: all of them. */
  lendingLimit?: number | null;
}

export interface TenantQuota extends ResourceRequest {
  version: number;
  concurrentTrials: number;
  /** Fair-share weight (> 0); default 1. */
  weight?: number;
  /** Priority classes the tenant may use; default standard and preemptible. */
  priorityClasses?: string[];
  /** GPU-hours per budget period; null/absent = no budget. */
  gpuHoursBudget?: number | null;
  /** A decay budget's half-life in hours (consumption fades instead of resetting); null/absent = a reset period. */
  budgetHalfLifeHours?: number | null;
  /** In safe mode a GPU run is admitted only if its maximum runtime fits what is left (default true). */
  budgetSafeMode?: boolean;
  /** Cohort whose members lend each other unused nominal quota; null = none. */
  cohort?: string | null;
  /** How far above nominal the tenant may borrow, per resource; absent/null = as far as the cohort lends. */
  borrowingLimit?: Partial<ResourceRequest> | null;
  /** How much unused nominal the tenant lends, per resource; absent/null = all of it. */
  lendingLimit?: Partial<ResourceRequest> | null;
  /**
   * Unused nominal the tenant keeps unlent, per resource, above what it uses now: its own new
   * trials start at once instead of waiting for borrowed work to end. absent/null = none.
   */
  lendingHeadroom?: Partial<ResourceRequest> | null;
  /**
   * Hard GPU caps per flavor; when non-empty, GPUs of unlisted flavors (and of pools without
   * one) may not be used. null/absent/empty = any flavor, within `gpus`.
   */
  gpuFlavors?: GpuFlavorQuota[] | null;
}

/** A cohort's own policy (tenancy's cohort policy; cohorts without one lend their members' unused nominal in full). */
export interface CohortPolicy {
  version: number;
  /**
   * Lendable capacity the cohort as a whole keeps unlent, per resource: members borrow only while
   * what is borrowed stays this far below what members lend, so members' own new work starts at
   * once. absent/null = none.
   */
  lendingHeadroom?: Partial<ResourceRequest> | null;
}

/** A project's hard limits inside its tenant (project.rules.ts); null/absent = none on that resource. */
export interface ProjectQuota {
  version: number;
  cpus?: number | null;
  gpus?: number | null;
  memoryMb?: number | null;
  concurrentTrials?: number | null;
  /** GPU-hours the project's runs may use per budget period, on top of the tenant's budget; null/absent = none. */
  gpuHoursBudget?: number | null;
  /** A decay budget's half-life in hours; null/absent = a reset period. */
  budgetHalfLifeHours?: number | null;
  /** In safe mode a GPU run is admitted only if its maximum runtime fits what is left (default true). */
  budgetSafeMode?: boolean;
}

/** A tenant's or project's GPU-hour account for the current budget period. */
export interface BudgetState {
  /** GPU-hours used this period by finished and running attempts. */
  consumedGpuHours: number;
  /** GPU-hours running attempts may still use before their maximum runtime. */
  committedGpuHours: number;
}

/** An allocation still holding resources (any pool: quota counts them all). */
export interface ActiveAllocation extends ResourceRequest {
  tenant: string;
  /** The trial's project slug; null/absent = none. */
  project?: string | null;
  pool: string;
  devices: string[];
  attemptId?: string;
  trialId?: string;
  priority?: string;
  /** Admitted above the tenant's nominal quota (borrowed from its cohort). */
  borrowed?: boolean;
  /** Seconds it has been running. */
  runtimeSec?: number;
  /** Already asked to stop (preempted or cancelled): its resources are about to free up. */
  stopping?: boolean;
  /** How often its trial has been preempted before (victims with fewer go first). */
  preemptions?: number;
  /**
   * How long the attempt is expected to run in all (seconds): its maximum runtime, else the
   * observed duration of its experiment's finished attempts; absent/null = unknown. Backfill
   * reservations are computed from it.
   */
  expectedRuntimeSec?: number | null;
}

export interface QueuedRun extends ResourceRequest {
  trialId: string;
  tenant: string;
  /** The trial's project slug: its project's limits apply too. null/absent = none. */
  project?: string | null;
  trialIndex: number;
  enqueuedAt: Date;
  /** critical, standard or preemptible; default standard. */
  priority?: string;
  /** The trial's maximum runtime; null = unbounded. */
  maxRuntimeSeconds?: number | null;
  /**
   * It caused a preemption that has not yet let it start: it goes first in its class when the
   * capacity frees up, so the evicted work cannot take the room back (no preemption loops).
   */
  preempting?: boolean;
  /** How often this trial has been preempted, and how long ago the last time (seconds). */
  preemptions?: number;
  sincePreemptedSec?: number;
  /** Observed duration estimate (seconds) used when it has no maximum runtime; absent = unknown. */
  expectedRuntimeSec?: number | null;
  /**
   * The GPU flavors the trial may use, most preferred first (spec `trial.resources.gpuType`: one
   * type or a list); null/absent/empty = any pool.
   */
  gpuTypes?: readonly string[] | null;
  /** The executor the trial asks for (spec `trial.executor`); null/absent = any pool. */
  executor?: string | null;
}

export interface AdmissionSnapshot {
  pool: PoolCapacity;
  allocations: ActiveAllocation[];
  quotas: ReadonlyMap<string, TenantQuota>;
  /** Cohort policies by cohort name; cohorts absent have the default (no cohort lending headroom). */
  cohortPolicies?: ReadonlyMap<string, CohortPolicy>;
  /** Project limits, keyed `tenant/project` (project.rules.ts: projectKey); absent projects have none. */
  projectQuotas?: ReadonlyMap<string, ProjectQuota>;
  queue: QueuedRun[];
  /**
   * The flavor of every registered pool (null = none), this one included: which GPU types some
   * pool offers, and the flavor active allocations on other pools count against. Absent: only
   * this pool is known.
   */
  poolFlavors?: ReadonlyMap<string, string | null>;
  /**
   * Every registered pool's capacity: the room a pool of a more preferred GPU type has for a run
   * that lists several (flavor-preference.rules.ts). Absent: unknown, so no run waits for one.
   */
  poolCapacities?: ReadonlyMap<string, ResourceRequest>;
  /** How long a run waits for a pool of a more preferred GPU type with room (default 60 s). */
  preferFlavorForSec?: number;
  /**
   * The platform's GPU flavor order, most preferred first: a GPU run that names no type prefers
   * pools in this order unless its tenant's quota lists `gpuFlavors` (whose order then applies).
   * Absent/empty: none.
   */
  gpuFlavorOrder?: readonly string[];
  /** Every registered pool's executor name (pool-routing.rules.ts); null: unknown. */
  poolExecutors?: ReadonlyMap<string, string | null>;
  /** The registered pools with a running compute replica (the pool deciding is always one); absent: all. */
  livePools?: ReadonlySet<string>;
  /**
   * Each tenant's recent usage: resource amounts averaged with exponential decay (see
   * fair-share.ts). Absent tenants have none.
   */
  history?: ReadonlyMap<string, ResourceRequest>;
  /** How much recent usage counts next to current usage in a tenant's share (default 0.5). */
  historyWeight?: number;
  /** GPU-hour accounts of tenants with a budget. */
  budgets?: ReadonlyMap<string, BudgetState>;
  /** GPU-hour accounts of projects with a budget, keyed `tenant/project` (project.rules.ts: projectKey). */
  projectBudgets?: ReadonlyMap<string, BudgetState>;
  /** Attempts younger than this are never preempted (default 60 s). */
  minRuntimeBeforePreemptSec?: number;
  /**
   * A preempted trial may borrow again only after backoff × 2^(preemptions − 1) seconds
   * (default 30 s), so lent capacity does not bounce between a lender and a borrower.
   */
  borrowBackoffSec?: number;
  /** The decision's clock (for how long runs have waited); absent: waiting never counts as starving. */
  now?: Date;
  /**
   * A run that has waited this long (seconds) takes a backfill reservation even against work of
   * its own priority class, so large runs are not overtaken forever (default 300 s).
   */
  reserveAfterSec?: number;
  /** At most this many reservations per cycle (default 16), which bounds the cycle's cost. */
  maxReservations?: number;
}

export interface Admitted {
  trialId: string;
  tenant: string;
  devices: string[];
  quotaVersion: number;
  /** Version of the project limits it was admitted under (absent: none applied). */
  projectQuotaVersion?: number;
  priority: string;
  /** The tenant's weighted dominant share when this run was chosen. */
  share: number;
  /** Admitted above nominal quota, on capacity borrowed from the cohort (so reclaimable). */
  borrowed: boolean;
  /** Set when it was admitted behind a reservation without delaying it: why, with numbers. */
  backfill?: string;
  /** Set when it runs on another executor than the one it asked for, because no pool runs that one. */
  routing?: string;
}

/** A start held for a run that cannot start now: work behind it may only backfill around it. */
export interface Reservation {
  trialId: string;
  tenant: string;
  priority: string;
  /** Estimated start, seconds from now; Infinity when running attempts' ends are unknown. */
  startInSec: number;
  /** It holds the start against its own priority class too (it waited past reserveAfterSec). */
  starving: boolean;
}

/** An attempt to stop gracefully and requeue, so that `forTrialId` can start. */
export interface Preemption {
  attemptId: string;
  trialId: string | null;
  tenant: string;
  forTrialId: string;
  reason: string;
}

export interface Pending {
  trialId: string;
  tenant: string;
  reason: string;
  quotaVersion?: number;
}

export interface AdmissionDecisions {
  admitted: Admitted[];
  /** Runs that wait, each with why (precise numbers). */
  pending: Pending[];
  /** Runs that can never be admitted (they exceed the pool or the tenant quota); they fail now. */
  rejected: Pending[];
  /** Running attempts to evict (reclaiming lent quota, or making room for critical work). */
  preempted: Preemption[];
  /** Backfill reservations made this cycle, in the order they were made. */
  reservations: Reservation[];
}
