import { SOURCES, TOPICS, type ConsumerDefinition, type TenantQuotaChanged } from '@fairsweep/service-kit';
import { computeEvents } from '../events/compute.events.js';

/**
 * Keeps compute.tenant_quota in step with tenancy's `tenant.quota.changed`: the highest version
 * wins, so replays and out-of-order deliveries never roll a quota back.
 */
export function quotaConsumer(): ConsumerDefinition {
  return {
    name: 'compute.tenant-quota',
    source: SOURCES.tenancy,
    topics: [TOPICS.tenantQuotaChanged],
    handle: async (event, em) => {
      const q = event.payload as unknown as TenantQuotaChanged;
      const rows = await em.execute<{ tenant: string }[]>(
        `INSERT INTO compute.tenant_quota (tenant, version, cpus, gpus, memory_mb, concurrent_trials, weight, priority_classes,
           gpu_hours_budget, budget_period, budget_half_life_hours, budget_safe_mode, cohort, borrowing_limit, lending_limit, lending_headroom, gpu_flavors, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ARRAY(SELECT jsonb_array_elements_text(?::jsonb)), ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb, now())
         ON CONFLICT (tenant) DO UPDATE SET version = EXCLUDED.version, cpus = EXCLUDED.cpus, gpus = EXCLUDED.gpus,
           memory_mb = EXCLUDED.memory_mb, concurrent_trials = EXCLUDED.concurrent_trials, weight = EXCLUDED.weight,
           priority_classes = EXCLUDED.priority_classes, gpu_hours_budget = EXCLUDED.gpu_hours_budget,
           budget_period = EXCLUDED.budget_period, budget_half_life_hours = EXCLUDED.budget_half_life_hours, budget_safe_mode = EXCLUDED.budget_safe_mode, cohort = EXCLUDED.cohort,
           borrowing_limit = EXCLUDED.borrowing_limit, lending_limit = EXCLUDED.lending_limit, lending_headroom = EXCLUDED.lending_headroom, gpu_flavors = EXCLUDED.gpu_flavors, updated_at = now()
         WHERE compute.tenant_quota.version < EXCLUDED.version
         RETURNING tenant`,
        [q.tenant, q.version, q.cpus, q.gpus, q.memoryMb, q.concurrentTrials, q.weight ?? 1, JSON.stringify(q.priorityClasses ?? ['standard', 'preemptible']),
          q.gpuHoursBudget ?? null, q.budgetPeriod ?? 'month', q.budgetHalfLifeHours ?? null, q.budgetSafeMode ?? true, q.cohort ?? null,
          q.borrowingLimit ? JSON.stringify(q.borrowingLimit) : null, q.lendingLimit ? JSON.stringify(q.lendingLimit) : null, q.lendingHeadroom ? JSON.stringify(q.lendingHeadroom) : null,
          q.gpuFlavors && q.gpuFlavors.length > 0 ? JSON.stringify(q.gpuFlavors) : null],
      );
      if (rows.length > 0) await computeEvents.usageChanged(em, [q.tenant]);
    },
  };
}
