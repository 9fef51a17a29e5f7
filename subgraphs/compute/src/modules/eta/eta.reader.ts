import type { EntityManager } from '@mikro-orm/postgresql';
import type { TenantQuota } from '../admission/admission.types.js';
import { estimateStarts, remainingSec, type EtaItem, type EtaQueued } from './eta.js';

/**
 * Reads what the ETA simulation needs — every pool's capacity (summed: runs are not bound to a
 * pool until admitted), all quotas, running attempts and the whole queue, with expected
 * durations from each experiment's finished attempts — and returns seconds-from-now per trial.
 */
export async function readEstimatedStarts(em: EntityManager): Promise<Map<string, number | null>> {
  const [pool] = await em.execute<{ cpus: number; gpus: number; memoryMb: number }[]>(
    `SELECT coalesce(sum(cpus), 0)::float8 AS cpus, coalesce(sum(gpus), 0)::int AS gpus, coalesce(sum(memory_mb), 0)::int AS "memoryMb" FROM compute.pool`,
  );
  const quotas = await em.execute<(TenantQuota & { tenant: string })[]>(
    `SELECT tenant, version, cpus, gpus, memory_mb AS "memoryMb", concurrent_trials AS "concurrentTrials" FROM compute.tenant_quota`,
  );
  // Mean run time of each experiment's succeeded attempts.
  const durations = new Map(
    (await em.execute<{ experimentId: string; sec: number }[]>(
      `SELECT r.experiment_id AS "experimentId", avg(extract(epoch FROM a.released_at - a.admitted_at))::float8 AS sec
       FROM compute.allocation a JOIN compute.trial_run r ON r.trial_id = a.trial_id
       WHERE a.state = 'released' AND a.outcome = 'succeeded'
         AND r.experiment_id IN (SELECT experiment_id FROM compute.trial_run WHERE state IN ('queued', 'running'))
       GROUP BY r.experiment_id`,
    )).map((d) => [d.experimentId, Number(d.sec)]),
  );
  const expected = (experimentId: string, maxRuntime: number | null) => durations.get(experimentId) ?? maxRuntime ?? null;
  const running = await em.execute<{ tenant: string; cpus: number; gpus: number; memoryMb: number; experimentId: string; maxRuntime: number | null; elapsed: number }[]>(
    `SELECT a.tenant, a.cpus, a.gpus, a.memory_mb AS "memoryMb", r.experiment_id AS "experimentId",
       (r.launch->>'maxRuntimeSeconds')::float8 AS "maxRuntime", extract(epoch FROM clock_timestamp() - a.admitted_at)::float8 AS elapsed
     FROM compute.allocation a JOIN compute.trial_run r ON r.trial_id = a.trial_id WHERE a.state = 'active'`,
  );
  const items: EtaItem[] = running.map((r) => {
    const left = remainingSec(expected(r.experimentId, r.maxRuntime), r.elapsed);
    return { tenant: r.tenant, cpus: Number(r.cpus), gpus: r.gpus, memoryMb: r.memoryMb, start: 0, end: left };
  });
  const queue = (await em.execute<(EtaQueued & { experimentId: string; maxRuntime: number | null })[]>(
    `SELECT trial_id AS "trialId", tenant, trial_index AS "trialIndex", cpus, gpus, memory_mb AS "memoryMb", enqueued_at AS "enqueuedAt",
       priority, experiment_id AS "experimentId", (launch->>'maxRuntimeSeconds')::float8 AS "maxRuntime"
     FROM compute.trial_run WHERE state = 'queued'`,
  )).map((q) => ({ ...q, cpus: Number(q.cpus), enqueuedAt: new Date(q.enqueuedAt), expectedSec: expected(q.experimentId, q.maxRuntime) }));
  return estimateStarts({
    pool: { name: 'all', ...pool!, cpus: Number(pool!.cpus), gpuIds: [] },
    quotas: new Map(quotas.map((q) => [q.tenant, { ...q, cpus: Number(q.cpus) }])),
    running: items,
    queue,
  });
}
