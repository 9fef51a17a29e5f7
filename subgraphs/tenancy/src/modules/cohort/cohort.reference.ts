import type { TenancyContext } from '../../context.js';
import type { CohortView } from './cohort-policy.service.js';

/** `_entities` resolution for Cohort: as the `cohort` query, so only cohorts the caller may see; others resolve to null. */
export function resolveCohortReference(ref: { name?: unknown }, ctx: TenancyContext): Promise<CohortView | null> | null {
  return typeof ref.name === 'string' ? ctx.cohortPolicies.getCohort(ref.name) : null;
}
