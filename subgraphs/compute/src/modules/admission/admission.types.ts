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
}

export interface TenantQuota extends ResourceRequest {
  version: number;
  concurrentTrials: number;
}

/** An allocation still holding resources (any pool: quota counts them all). */
export interface ActiveAllocation extends ResourceRequest {
  tenant: string;
  pool: string;
  devices: string[];
}

export interface QueuedRun extends ResourceRequest {
  trialId: string;
  tenant: string;
  trialIndex: number;
  enqueuedAt: Date;
}

export interface AdmissionSnapshot {
  pool: PoolCapacity;
  allocations: ActiveAllocation[];
  quotas: ReadonlyMap<string, TenantQuota>;
  queue: QueuedRun[];
}

export interface Admitted {
  trialId: string;
  tenant: string;
  devices: string[];
  quotaVersion: number;
}

export interface Pending {
  trialId: string;
  tenant: string;
  reason: string;
}

export interface AdmissionDecisions {
  admitted: Admitted[];
  /** Runs that wait, each with why (precise numbers). */
  pending: Pending[];
  /** Runs that can never be admitted (they exceed the pool or the tenant quota); they fail now. */
  rejected: Pending[];
}
