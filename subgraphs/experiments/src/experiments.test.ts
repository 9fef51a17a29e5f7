import { Client } from 'pg';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { signUpstream, SIGNATURE_EXTENSION } from '@fairsweep/auth';
import { outboxTablesSql, publishEvent, TOPICS, type RunningService, type TrialFinished } from '@fairsweep/service-kit';
import { claimsFor, createTestDatabase, eventually, signedRequest, TEST_SECRET, type TestDatabase } from '@fairsweep/service-kit/testing';
import { startExperiments } from './index.js';

const SPEC = `
apiVersion: fairsweep/v1
kind: Experiment
name: t
seed: 7
searchSpace:
  lr: { type: float, low: 0.001, high: 0.1, log: true }
  opt: { type: categorical, choices: [sgd, adam] }
objective: { metric: loss, direction: minimize }
budget: { maxTrials: 3, maxParallel: 2 }
trial: { command: [node, train.js], resources: { cpus: 1, gpus: 0, memoryMb: 128 } }
`;

describe('experiments subgraph', () => {
  let db: TestDatabase;
  let svc: RunningService;
  const alice = claimsFor.member('alpha');
  const q = <T = Record<string, any>>(claims: any, query: string, variables?: Record<string, unknown>) => signedRequest<T>(svc.url, TEST_SECRET, claims, query, variables);
  const submit = (claims: any, tenant: string, spec: string) =>
    q(claims, 'mutation($t: String!, $s: String!) { submitExperiment(tenant: $t, spec: $s) { id status seed specHash trials { id index state params seed } } }', { t: tenant, s: spec });

  beforeAll(async () => {
    db = await createTestDatabase();
    // compute's outbox, written here the way compute would write it
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    await pg.query('CREATE SCHEMA compute');
    for (const sql of outboxTablesSql('compute')) await pg.query(sql);
    await pg.end();
    svc = await startExperiments({ databaseUrl: db.url, host: '127.0.0.1', port: 0, upstreamSecret: TEST_SECRET, eventPollMs: 100 });
  });
  afterAll(async () => {
    await svc?.close();
    await db?.drop();
  });

  const computeEvent = (topic: string, payload: Record<string, unknown>) =>
    svc.orm.em.fork().transactional((em) => publishEvent(em, 'compute', { topic, aggregateId: String(payload.trialId), tenant: String(payload.tenant), payload }));

  it('refuses an invalid spec, naming each field and what is allowed, and stores nothing', async () => {
    const bad = SPEC.replace('high: 0.1', 'high: 0.0001').replace('name: t', 'name: t\ncolour: red').replace('objective: { metric: loss, direction: minimize }', '').replace('maxTrials: 3', 'maxTrials: ten');
    const res = await submit(alice, 'alpha', bad);
    const err = res.errors![0]!;
    expect(err.extensions!.code).toBe('INVALID_SPEC');
    const paths = (err.extensions!.issues as { path: string }[]).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['colour', 'objective', 'budget.maxTrials', 'searchSpace.lr.high']));
    expect(err.message).toContain('budget.maxTrials');
    const [{ n }] = await svc.orm.em.getConnection().execute('SELECT count(*)::int AS n FROM experiments.experiment');
    expect(n).toBe(0);
  });

  it('refuses submission to a tenant the caller is not in, and by viewers', async () => {
    expect((await submit(alice, 'beta', SPEC)).errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect((await submit(claimsFor.member('alpha', 'viewer'), 'alpha', SPEC)).errors![0]!.extensions!.code).toBe('FORBIDDEN');
  });

  it('runs a sweep from compute events to the best trial, streaming progress', async () => {
    const res = await submit(alice, 'alpha', SPEC);
    expect(res.errors).toBeUndefined();
    const exp = res.data!.submitExperiment;
    expect(exp.trials.map((t: any) => t.index)).toEqual([0, 1]);
    expect(exp.seed).toBe(7);

    const events: any[] = [];
    const ws = createClient({ url: svc.url.replace('http', 'ws'), webSocketImpl: WebSocket, lazy: false });
    const query = 'subscription($id: ID!) { trialProgress(experimentId: $id) { kind trial { index state } metric { name value } experiment { status } } }';
    const variables = { id: exp.id };
    ws.subscribe({ query, variables, extensions: { [SIGNATURE_EXTENSION]: signUpstream(TEST_SECRET, { query, variables, claims: alice }) } } as any, {
      next: (m: any) => events.push(m.data?.trialProgress ?? m.errors), error: () => undefined, complete: () => undefined,
    });
    await new Promise((r) => setTimeout(r, 400));

    const finish = async (t: any, loss: number | null, outcome: TrialFinished['outcome'] = 'succeeded') => {
      const base = { trialId: t.id, experimentId: exp.id, tenant: 'alpha', attemptId: 'a', at: new Date().toISOString() };
      await computeEvent(TOPICS.trialStarted, { ...base, attempt: 1, pool: 'local', host: 'h', devices: [] });
      if (loss !== null) await computeEvent(TOPICS.trialMetricReported, { ...base, name: 'loss', value: loss, step: 1 });
      await computeEvent(TOPICS.trialFinished, { ...base, outcome, exitCode: outcome === 'succeeded' ? 0 : 1, signal: null, reason: 'exit' });
    };
    const trials = async () => (await q(alice, 'query($id: ID!) { experiment(id: $id) { status trials { id index state value reason } bestTrial { index value } } }', { id: exp.id })).data!.experiment;
    await finish(exp.trials[0], 0.5);
    const third = await eventually(async () => (await trials()).trials.find((t: any) => t.index === 2));
    await finish(exp.trials[1], null); // exits 0 without the objective: failed
    await finish(third, 0.25);
    const done = await eventually(async () => ((await trials()).status === 'SUCCEEDED' ? trials() : null));
    expect(done.bestTrial).toEqual({ index: 2, value: 0.25 });
    expect(done.trials[1]).toMatchObject({ state: 'FAILED', reason: expect.stringContaining('objective metric "loss"') });
    await eventually(() => events.some((e) => e.kind === 'EXPERIMENT_FINISHED'));
    expect(events.some((e) => e.kind === 'METRIC' && e.metric.name === 'loss')).toBe(true);
    expect(events.some((e) => e.kind === 'TRIAL_STATE' && e.trial.state === 'RUNNING')).toBe(true);
    await ws.dispose();
  });

  it('suggests the same configurations for the same spec and seed', async () => {
    const a = (await submit(alice, 'alpha', SPEC)).data!.submitExperiment;
    const b = (await submit(alice, 'alpha', SPEC.replace('name: t', 'name:   t'))).data!.submitExperiment;
    expect(b.specHash).toBe(a.specHash);
    expect(b.trials.map((t: any) => [t.params, t.seed])).toEqual(a.trials.map((t: any) => [t.params, t.seed]));
  });

  it('keeps tenant B out of tenant A experiments: queries, _entities and subscriptions', async () => {
    const exp = (await submit(alice, 'alpha', SPEC)).data!.submitExperiment;
    const bob = claimsFor.member('beta');
    expect((await q(bob, 'query($id: ID!) { experiment(id: $id) { id } }', { id: exp.id })).data!.experiment).toBeNull();
    expect((await q(bob, '{ experiments { id } }')).data!.experiments).toEqual([]);
    const ent = await q(bob, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Experiment { id } ... on Trial { id } } }', {
      r: [{ __typename: 'Experiment', id: exp.id }, { __typename: 'Trial', id: exp.trials[0].id }],
    });
    expect(ent.data!._entities).toEqual([null, null]);
    const ws = createClient({ url: svc.url.replace('http', 'ws'), webSocketImpl: WebSocket });
    const query = 'subscription($id: ID!) { trialProgress(experimentId: $id) { kind } }';
    const variables = { id: exp.id };
    const result = await new Promise<any>((resolve) =>
      ws.subscribe({ query, variables, extensions: { [SIGNATURE_EXTENSION]: signUpstream(TEST_SECRET, { query, variables, claims: bob }) } } as any, {
        next: (m) => resolve(m), error: (e) => resolve(e), complete: () => undefined,
      }),
    );
    expect(JSON.stringify(result)).toContain('not found');
    await ws.dispose();
  });

  it('refuses changes to a stored experiment record in PostgreSQL itself', async () => {
    await expect(svc.orm.em.getConnection().execute(`UPDATE experiments.experiment SET seed = 1`)).rejects.toThrow(/immutable/);
    await expect(svc.orm.em.getConnection().execute(`DELETE FROM experiments.experiment`)).rejects.toThrow(/cannot be deleted/);
  });
});
