import type { EntityManager } from '@mikro-orm/postgresql';
import type { TrialCreated } from '@fairsweep/service-kit';

const count = (n: unknown): number | null => (typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : null);

/**
 * Records what a `trial.created` says of its experiment's plan (maximum trials, parallel trials)
 * and when its trials were created: the completion estimate forecasts the trials not created yet.
 */
export async function recordTrialPlanned(em: EntityManager, t: TrialCreated): Promise<void> {
  const maxParallel = count(t.maxParallel);
  await em.execute(
    `INSERT INTO compute.experiment_plan (experiment_id, tenant, max_trials, max_parallel) VALUES (?, ?, ?, ?)
     ON CONFLICT (experiment_id) DO UPDATE SET max_trials = coalesce(EXCLUDED.max_trials, experiment_plan.max_trials),
       max_parallel = coalesce(EXCLUDED.max_parallel, experiment_plan.max_parallel), last_created_at = clock_timestamp()`,
    [t.experimentId, t.tenant, count(t.maxTrials), maxParallel === 0 ? null : maxParallel],
    'run',
  );
}
