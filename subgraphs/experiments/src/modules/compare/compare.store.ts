import type { EntityManager } from '@mikro-orm/postgresql';
import type { CompareInput } from './compare.domain.js';

/** The records `compareExperiments` needs, in the order of `ids`; ids that are missing are left out. */
export async function loadCompareInputs(em: EntityManager, ids: readonly string[]): Promise<(CompareInput & { tenant: string })[]> {
  const conn = em.getConnection();
  // The driver would spread a JS array into a list: pass the ids as one JSON value instead.
  const idList = JSON.stringify(ids);
  const IDS = 'ARRAY(SELECT jsonb_array_elements_text(?::jsonb))::uuid[]';
  const exps = await conn.execute<{ id: string; tenant: string; name: string; spec: CompareInput['spec'] }[]>(
    `SELECT id, tenant, name, spec FROM experiments.experiment WHERE id = ANY(${IDS})`, [idList],
  );
  const trials = await conn.execute<{ id: string; experiment_id: string; trial_index: number; state: string; value: number | null; params: Record<string, unknown>; finished_at: Date | null }[]>(
    `SELECT id, experiment_id, trial_index, state, value, params, finished_at FROM experiments.trial
      WHERE experiment_id = ANY(${IDS}) ORDER BY experiment_id, trial_index`, [idList],
  );
  const attempts = await conn.execute<{ trial_id: string; started_at: Date; finished_at: Date | null; device_type: string | null; throughput_factor: number | null }[]>(
    `SELECT a.trial_id, a.started_at, a.finished_at, a.device_type, a.throughput_factor
       FROM experiments.trial_attempt a JOIN experiments.trial t ON t.id = a.trial_id
      WHERE t.experiment_id = ANY(${IDS}) ORDER BY a.trial_id, a.attempt`, [idList],
  );
  const attemptsByTrial = new Map<string, CompareInput['trials'][number]['attempts']>();
  for (const a of attempts) {
    const list = attemptsByTrial.get(a.trial_id) ?? [];
    list.push({
      startedAt: new Date(a.started_at), finishedAt: a.finished_at ? new Date(a.finished_at) : null,
      deviceType: a.device_type, throughputFactor: a.throughput_factor === null ? null : Number(a.throughput_factor),
    });
    attemptsByTrial.set(a.trial_id, list);
  }
  const trialsByExp = new Map<string, CompareInput['trials']>();
  for (const t of trials) {
    const list = trialsByExp.get(t.experiment_id) ?? [];
    list.push({
      index: t.trial_index, state: t.state, value: t.value === null ? null : Number(t.value), params: t.params,
      finishedAt: t.finished_at ? new Date(t.finished_at) : null, attempts: attemptsByTrial.get(t.id) ?? [],
    });
    trialsByExp.set(t.experiment_id, list);
  }
  const byId = new Map(exps.map((e) => [e.id, e]));
  return ids.flatMap((id) => {
    const e = byId.get(id);
    return e ? [{ id: e.id, tenant: e.tenant, name: e.name, spec: e.spec, trials: trialsByExp.get(e.id) ?? [] }] : [];
  });
}
