import { M0001Initial } from './m0001-initial.js';
import { M0002FairShare } from './m0002-fair-share.js';
import { M0003GpuBudget } from './m0003-gpu-budget.js';
import { M0004Cohorts } from './m0004-cohorts.js';
import { M0005StorageQuota } from './m0005-storage-quota.js';
import { M0006ProjectQuota } from './m0006-project-quota.js';
import { M0007ProjectBudget } from './m0007-project-budget.js';
import { M0008GpuFlavors } from './m0008-gpu-flavors.js';
import { M0009BudgetDecay } from './m0009-budget-decay.js';
import { M0010LendingHeadroom } from './m0010-lending-headroom.js';
import { M0011CohortPolicy } from './m0011-cohort-policy.js';

/** Committed migrations, in order; applied at start. Never edit one that has shipped. */
export const migrations = [
  { name: 'm0001-initial', class: M0001Initial },
  { name: 'm0002-fair-share', class: M0002FairShare },
  { name: 'm0003-gpu-budget', class: M0003GpuBudget },
  { name: 'm0004-cohorts', class: M0004Cohorts },
  { name: 'm0005-storage-quota', class: M0005StorageQuota },
  { name: 'm0006-project-quota', class: M0006ProjectQuota },
  { name: 'm0007-project-budget', class: M0007ProjectBudget },
  { name: 'm0008-gpu-flavors', class: M0008GpuFlavors },
  { name: 'm0009-budget-decay', class: M0009BudgetDecay },
  { name: 'm0010-lending-headroom', class: M0010LendingHeadroom },
  { name: 'm0011-cohort-policy', class: M0011CohortPolicy },
];
