import type { ResourceLimit } from '../quota/quota-version.entity.js';
import { headroomAmounts, validateSlug, type LimitInput } from '../quota/quota.rules.js';

/** One version of a cohort's own policy. */
export interface CohortPolicy {
  /**
   * Lendable capacity the cohort as a whole keeps unlent, per resource: members borrow only while
   * what is borrowed stays this far below what members lend. null = none (idle quota is lent in full).
   */
  lendingHeadroom: ResourceLimit | null;
}

export type CohortPolicyInputShape = { lendingHeadroom?: LimitInput | null };

/** Checks a cohort name as a quota's `cohort` field is checked (a slug). */
export function validateCohortName(cohort: string, field = 'cohort'): string {
  return validateSlug(field, cohort);
}

/**
 * Checks a cohort policy before it becomes a version; the error names the field, the value and what
 * is allowed. Each version is complete: an omitted headroom is none, not the previous version's.
 * Headroom: cpus a number >= 0, gpus and memoryMb integers >= 0; empty, all null or all zeros is none.
 */
export function validateCohortPolicy(p: CohortPolicyInputShape, field = 'policy'): CohortPolicy {
  return { lendingHeadroom: headroomAmounts(p.lendingHeadroom ?? null, `${field}.lendingHeadroom`) };
}
