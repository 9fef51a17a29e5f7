import { SOURCES, TOPICS, type ConsumerDefinition, type ProjectQuotaChanged } from '@fairsweep/service-kit';
import { computeEvents } from '../events/compute.events.js';

/**
 * Keeps compute.project_quota in step with tenancy's `project.quota.changed` (limits and GPU-hour
 * budget): the highest version wins, so replays and out-of-order deliveries never roll a project's
 * policy back. Its own consumer (own offset), so events published before this compute version ran
 * are still read from the start.
 */
export function projectQuotaConsumer(): ConsumerDefinition {
  return {
    name: 'compute.project-quota',
    source: SOURCES.tenancy,
    topics: [TOPICS.projectQuotaChanged],
    handle: async (event, em) => {
      const q = event.payload as unknown as ProjectQuotaChanged; // budget fields absent in older events: none, month, safe mode
      const rows = await em.execute<{ tenant: string }[]>(
        `INSERT INTO compute.project_quota (tenant, project, version, cpus, gpus, memory_mb, concurrent_trials,
           gpu_hours_budget, budget_period, budget_half_life_hours, budget_safe_mode, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())
         ON CONFLICT (tenant, project) DO UPDATE SET version = EXCLUDED.version, cpus = EXCLUDED.cpus, gpus = EXCLUDED.gpus,
           memory_mb = EXCLUDED.memory_mb, concurrent_trials = EXCLUDED.concurrent_trials, gpu_hours_budget = EXCLUDED.gpu_hours_budget,
           budget_period = EXCLUDED.budget_period, budget_half_life_hours = EXCLUDED.budget_half_life_hours, budget_safe_mode = EXCLUDED.budget_safe_mode, updated_at = now()
         WHERE compute.project_quota.version < EXCLUDED.version
         RETURNING tenant`,
        [q.tenant, q.project, q.version, q.cpus ?? null, q.gpus ?? null, q.memoryMb ?? null, q.concurrentTrials ?? null,
          q.gpuHoursBudget ?? null, q.budgetPeriod ?? 'month', q.budgetHalfLifeHours ?? null, q.budgetSafeMode ?? true],
      );
      if (rows.length > 0) await computeEvents.usageChanged(em, [q.tenant]);
    },
  };
}
