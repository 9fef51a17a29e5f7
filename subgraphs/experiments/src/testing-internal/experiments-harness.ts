import { Client } from 'pg';
import { createRng } from '@fairsweep/sdk';
import { outboxTablesSql, publishEvent, TOPICS, type RunningService } from '@fairsweep/service-kit';
import { createTestDatabase, eventually, signedRequest, TEST_SECRET, type TestDatabase } from '@fairsweep/service-kit/testing';
import { startExperiments, type ArtifactConfig } from '../index.js';

/** The experiments subgraph on a throwaway database, with compute's outbox to publish into. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test rows and results are loosely typed
type Loose = Record<string, any>;

export interface Harness {
  db: TestDatabase;
  svc: RunningService;
  q<T = Loose>(claims: unknown, query: string, variables?: Record<string, unknown>): ReturnType<typeof signedRequest<T>>;
  sql<T = Loose>(text: string, params?: unknown[]): Promise<T[]>;
  computeEvent(topic: string, payload: Record<string, unknown>): Promise<void>;
  /** Plays compute: finishes the experiment's trials in a shuffled order until it ends. */
  runSweep(experimentId: string, tenant: string, orderSeed: number): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(config: ArtifactConfig = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  await pg.query('CREATE SCHEMA compute');
  for (const sql of outboxTablesSql('compute')) await pg.query(sql);
  const svc = await startExperiments({ databaseUrl: db.url, host: '127.0.0.1', port: 0, upstreamSecret: TEST_SECRET, eventPollMs: 100, ...config });
  const h: Harness = {
    db,
    svc,
    q: (claims, query, variables) => signedRequest(svc.url, TEST_SECRET, claims as never, query, variables),
    sql: async (text, params = []) => (await pg.query(text, params)).rows,
    computeEvent: (topic, payload) =>
      svc.orm.em.fork().transactional((em) => publishEvent(em, 'compute', { topic, aggregateId: String(payload.trialId), tenant: String(payload.tenant), payload })),
    runSweep: async (experimentId, tenant, orderSeed) => {
      const rng = createRng(orderSeed, 'completion-order');
      const done = new Set<string>();
      let clock = Date.parse('2026-01-01T00:00:00Z');
      for (;;) {
        const [exp] = await h.sql<{ status: string }>('SELECT status FROM experiments.experiment WHERE id = $1', [experimentId]);
        if (exp!.status !== 'running') return;
        const open = (await h.sql<{ id: string; trial_index: number }>(
          `SELECT id, trial_index FROM experiments.trial WHERE experiment_id = $1 AND state IN ('pending', 'running') ORDER BY trial_index`, [experimentId],
        )).filter((t) => !done.has(t.id));
        if (open.length === 0) {
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        // Finish a random subset, in a random order, with random durations and the odd failure.
        const batch = open.filter(() => rng.nextUint32() % 2 === 0);
        for (const t of batch.length > 0 ? batch : [open[rng.nextUint32() % open.length]!]) {
          done.add(t.id);
          clock += 1 + (rng.nextUint32() % 5000);
          const base = { trialId: t.id, experimentId, tenant, attemptId: `att-${t.id}`, at: new Date(clock).toISOString() };
          const failed = rng.nextUint32() % 10 === 0;
          await h.computeEvent(TOPICS.trialStarted, { ...base, attempt: 1, pool: 'local', host: `host-${t.trial_index % 3}`, devices: [] });
          if (!failed) await h.computeEvent(TOPICS.trialMetricReported, { ...base, name: 'loss', value: rng.next(), step: 1 });
          await h.computeEvent(TOPICS.trialFinished, { ...base, outcome: failed ? 'failed' : 'succeeded', exitCode: failed ? 1 : 0, signal: null, reason: failed ? 'exit 1' : 'exit 0' });
        }
        await eventually(async () => {
          const [n] = await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM experiments.trial WHERE id = ANY($1) AND state IN ('pending', 'running')`, [[...done]]);
          return n!.n === 0;
        }, 20_000, 10);
      }
    },
    close: async () => {
      await pg.end();
      await svc.close();
      await db.drop();
    },
  };
  return h;
}
