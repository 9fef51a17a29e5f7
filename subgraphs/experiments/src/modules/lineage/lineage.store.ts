import type { EntityManager } from '@mikro-orm/postgresql';
import type { LineageDirection, LineageRecord } from './lineage.graph.js';

/** How far a traversal goes by default, and at most. */
export const LINEAGE_DEFAULT_DEPTH = 10;
export const LINEAGE_MAX_DEPTH = 100;

interface Row {
  id: string; tenant: string; project: string | null; name: string; spec_hash: string; seed: string; strategy: string;
  strategy_version: string; status: string; created_by: string; created_at: Date; finished_at: Date | null;
  parent_id: string | null; environment: Record<string, unknown> | null; spec: { objective: { metric: string; direction: string } };
  total: number; succeeded: number; best: number | null;
}

/**
 * The experiment records around `rootId`, following rerun links up (parents) and/or down
 * (children) at most `maxDepth` steps, within the root's tenant only (a rerun never crosses
 * tenants; the filter makes sure a traversal cannot either). Empty when the root is missing or
 * its tenant is not visible.
 */
export async function loadLineageRecords(
  em: EntityManager,
  rootId: string,
  direction: LineageDirection,
  maxDepth: number,
  visible: (tenant: string) => boolean,
): Promise<LineageRecord[]> {
  const conn = em.getConnection();
  const [root] = await conn.execute<{ tenant: string }[]>('SELECT tenant FROM experiments.experiment WHERE id = ?', [rootId]);
  if (!root || !visible(root.tenant)) return [];
  const up = direction !== 'descendants';
  const down = direction !== 'ancestors';
  const rows = await conn.execute<Row[]>(
    `WITH RECURSIVE
       up_walk(id, depth) AS (
         SELECT id, 0 FROM experiments.experiment WHERE id = ? AND ?::boolean
         UNION
         SELECT e.parent_id, w.depth + 1 FROM experiments.experiment e JOIN up_walk w ON e.id = w.id
          WHERE e.parent_id IS NOT NULL AND w.depth < ?),
       down_walk(id, depth) AS (
         SELECT id, 0 FROM experiments.experiment WHERE id = ? AND ?::boolean
         UNION
         SELECT e.id, w.depth + 1 FROM experiments.experiment e JOIN down_walk w ON e.parent_id = w.id
          WHERE w.depth < ?),
       walked AS (SELECT id FROM up_walk UNION SELECT id FROM down_walk UNION SELECT ?::uuid)
     SELECT e.id, e.tenant, e.project, e.name, e.spec_hash, e.seed, e.strategy, e.strategy_version, e.status, e.created_by,
            e.created_at, e.finished_at, e.parent_id, e.environment, e.spec,
            count(t.id)::int AS total, (count(t.id) FILTER (WHERE t.state = 'succeeded'))::int AS succeeded,
            CASE WHEN e.spec->'objective'->>'direction' = 'maximize' THEN max(t.value) FILTER (WHERE t.state = 'succeeded')
                 ELSE min(t.value) FILTER (WHERE t.state = 'succeeded') END AS best
       FROM experiments.experiment e
       JOIN walked ON walked.id = e.id
       LEFT JOIN experiments.trial t ON t.experiment_id = e.id
      WHERE e.tenant = ?
      GROUP BY e.id
      ORDER BY e.created_at, e.id`,
    [rootId, up, maxDepth, rootId, down, maxDepth, rootId, root.tenant],
  );
  const artifacts = await conn.execute<{ id: string; experiment_id: string; name: string; kind: string; sha256: string; size_bytes: string; trial_id: string | null; attempt_id: string | null; deleted: boolean }[]>(
    `SELECT a.id, a.experiment_id, a.name, a.kind, a.sha256, a.size_bytes, a.trial_id, a.attempt_id, (t.artifact_id IS NOT NULL) AS deleted
       FROM experiments.artifact a LEFT JOIN experiments.artifact_tombstone t ON t.artifact_id = a.id
      WHERE a.tenant = ? AND a.experiment_id = ANY(ARRAY(SELECT jsonb_array_elements_text(?::jsonb))::uuid[])
      ORDER BY a.created_at, a.id`,
    [root.tenant, JSON.stringify(rows.map((r) => r.id))],
  );
  const artifactsOf = new Map<string, LineageRecord['artifacts']>();
  for (const a of artifacts) {
    const list = artifactsOf.get(a.experiment_id) ?? [];
    list.push({ id: a.id, name: a.name, kind: a.kind, sha256: a.sha256, sizeBytes: Number(a.size_bytes), trialId: a.trial_id, attemptId: a.attempt_id, deleted: a.deleted });
    artifactsOf.set(a.experiment_id, list);
  }
  return rows.map((r) => ({
    id: r.id, tenant: r.tenant, project: r.project, name: r.name, specHash: r.spec_hash, seed: Number(r.seed),
    strategy: r.strategy, strategyVersion: r.strategy_version, status: r.status, createdBy: r.created_by,
    createdAt: new Date(r.created_at), finishedAt: r.finished_at ? new Date(r.finished_at) : null, parentId: r.parent_id,
    environment: r.environment, objective: { metric: r.spec.objective.metric, direction: r.spec.objective.direction },
    trials: { total: r.total, succeeded: r.succeeded, bestValue: r.best === null ? null : Number(r.best) },
    artifacts: artifactsOf.get(r.id) ?? [],
  }));
}

/** Ids of the tenant's experiments whose environment snapshot names this commit, newest first. */
export async function experimentsUsingCommit(em: EntityManager, tenant: string, commit: string, limit: number): Promise<string[]> {
  const rows = await em.getConnection().execute<{ id: string }[]>(
    `SELECT id FROM experiments.experiment WHERE tenant = ? AND environment->'git'->>'commit' = ?
      ORDER BY created_at DESC, id LIMIT ?`,
    [tenant, commit, limit],
  );
  return rows.map((r) => r.id);
}
