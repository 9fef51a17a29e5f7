import { M0001Initial } from './m0001-initial.js';
import { M0002FairShare } from './m0002-fair-share.js';
import { M0003GpuBudget } from './m0003-gpu-budget.js';
import { M0004CohortsPreemption } from './m0004-cohorts-preemption.js';
import { M0005PreemptorReservation } from './m0005-preemptor-reservation.js';
import { M0006PoolExecutor } from './m0006-pool-executor.js';
import { M0007BackfillPriority } from './m0007-backfill-priority.js';
import { M0008ExperimentPlan } from './m0008-experiment-plan.js';
import { M0009AttemptRecovery } from './m0009-attempt-recovery.js';
import { M0010ProjectQuota } from './m0010-project-quota.js';
import { M0012PoolHardware } from './m0012-pool-hardware.js';
import { M0013ProjectBudget } from './m0013-project-budget.js';
import { M0014GpuFlavors } from './m0014-gpu-flavors.js';
import { M0015BudgetDecay } from './m0015-budget-decay.js';
import { M0016LendingHeadroom } from './m0016-lending-headroom.js';
import { M0017PoolLastSeen } from './m0017-pool-last-seen.js';
import { M0018PoolDecommissioned } from './m0018-pool-decommissioned.js';
import { M0019GpuTypes } from './m0019-gpu-types.js';
import { M0020CohortPolicy } from './m0020-cohort-policy.js';

/** Committed migrations, in order; applied at start. Never edit one that has shipped. */
export const migrations = [
  { name: 'm0001-initial', class: M0001Initial },
  { name: 'm0002-fair-share', class: M0002FairShare },
  { name: 'm0003-gpu-budget', class: M0003GpuBudget },
  { name: 'm0004-cohorts-preemption', class: M0004CohortsPreemption },
  { name: 'm0005-preemptor-reservation', class: M0005PreemptorReservation },
  { name: 'm0006-pool-executor', class: M0006PoolExecutor },
  { name: 'm0007-backfill-priority', class: M0007BackfillPriority },
  { name: 'm0008-experiment-plan', class: M0008ExperimentPlan },
  { name: 'm0009-attempt-recovery', class: M0009AttemptRecovery },
  { name: 'm0010-project-quota', class: M0010ProjectQuota },
  { name: 'm0012-pool-hardware', class: M0012PoolHardware },
  { name: 'm0013-project-budget', class: M0013ProjectBudget },
  { name: 'm0014-gpu-flavors', class: M0014GpuFlavors },
  { name: 'm0015-budget-decay', class: M0015BudgetDecay },
  { name: 'm0016-lending-headroom', class: M0016LendingHeadroom },
  { name: 'm0017-pool-last-seen', class: M0017PoolLastSeen },
  { name: 'm0018-pool-decommissioned', class: M0018PoolDecommissioned },
  { name: 'm0019-gpu-types', class: M0019GpuTypes },
  { name: 'm0020-cohort-policy', class: M0020CohortPolicy },
];
