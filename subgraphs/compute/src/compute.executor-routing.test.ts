import { randomUUID } from 'node:crypto';
import { publishEvent, TOPICS, type TrialCreated } from '@fairsweep/service-kit';
import { claimsFor, eventually, signedRequest, TEST_SECRET } from '@fairsweep/service-kit/testing';
import { ComputeHarness, LONG_TRIAL, stubExecutor } from './testing-internal/compute-harness.js';
import type { ComputeConfig } from './config.js';

/**
 * Routing by `trial.executor` on real PostgreSQL (docs/designs/3-executor-routing.md): two pools,
 * one running a Slurm executor and one a local executor, share one queue; each trial runs on the
 * pool whose executor it asks for, a trial asking for an executor no pool runs goes to either and
 * the decision log says so, and one no pool may take waits with the reason.
 */
describe('compute: routing trials by executor (real PostgreSQL)', () => {
  let h: ComputeHarness;
  let trial = 0;
  const experimentId = randomUUID();
  const slurm = stubExecutor('slurm');
  const local = stubExecutor('local');

  beforeAll(async () => {
    h = await ComputeHarness.create();
    await h.start({ executor: slurm, pool: { name: 'hpc', cpus: 8, gpus: 2, memoryMb: 16384, gpuIds: ['0', '1'], deviceType: 'a100' } });
    await h.start({ executor: local, pool: { name: 'box', cpus: 8, gpus: 2, memoryMb: 16384, gpuIds: ['0', '1'], deviceType: 'h100' } });
  });
  afterAll(async () => {
    await h?.close();
    expect(h.problems).toEqual([]);
  });

  const create = async (executor: string, resources: Partial<TrialCreated['resources']> = {}): Promise<string> => {
    const trialId = randomUUID();
    const t: TrialCreated = {
      trialId, experimentId, tenant: 'acme', trialIndex: trial, command: [process.execPath, '-e', LONG_TRIAL], env: {}, params: {}, seed: trial++,
      resources: { cpus: 1, gpus: 0, memoryMb: 128, ...resources }, executor, maxRuntimeSeconds: 1800,
    };
    await h.experiments.em.fork().transactional((em) => publishEvent(em, 'experiments', { topic: TOPICS.trialCreated, aggregateId: trialId, tenant: 'acme', payload: { ...t } }));
    return trialId;
  };
  const poolOf = (trialId: string) => eventually(async () =>
    (await h.sql<{ pool: string }>(`SELECT pool FROM compute.allocation WHERE trial_id = ? AND state = 'active'`, [trialId]))[0]?.pool);
  const launchedBy = (trialId: string) => [slurm, local].filter((e) => e.launches.some((l) => l.trialId === trialId)).map((e) => e.name);

  it('runs each trial on a pool of the executor it asks for; one no pool runs goes to either, saying so', async () => {
    await h.setQuota('acme', 1, { cpus: 16, gpus: 4, concurrentTrials: 50 });
    expect(await h.sql(`SELECT name, executor_name FROM compute.pool ORDER BY name`)).toEqual([
      { name: 'box', executor_name: 'local' }, { name: 'hpc', executor_name: 'slurm' },
    ]);
    // Several of each, so that both pools' cycles see every trial: none lands on the other pool.
    const onSlurm = await Promise.all([1, 2, 3, 4].map(() => create('slurm')));
    const onLocal = await Promise.all([1, 2, 3, 4].map(() => create('local')));
    for (const t of onSlurm) expect(await poolOf(t)).toBe('hpc');
    for (const t of onLocal) expect(await poolOf(t)).toBe('box');
    // The allocation row commits before the executor is called: wait for the launch itself.
    const launched = (t: string) => eventually(async () => (launchedBy(t).length > 0 ? launchedBy(t) : null));
    for (const t of onSlurm) expect(await launched(t)).toEqual(['slurm']);
    for (const t of onLocal) expect(await launched(t)).toEqual(['local']);

    const k8s = await create('kubernetes');
    const pool = await poolOf(k8s);
    const executor = pool === 'hpc' ? 'slurm' : 'local';
    const admits = await h.sql<{ kind: string; reason: string }>(`SELECT kind, reason FROM compute.decision WHERE trial_id = ? ORDER BY id`, [k8s]);
    expect(admits).toEqual([{ kind: 'admit', reason: expect.stringContaining(`; requested executor kubernetes: no pool runs it, runs on executor ${executor} of pool ${pool}`) }]);
    const [slurmAdmit] = await h.sql<{ reason: string }>(`SELECT reason FROM compute.decision WHERE trial_id = ? ORDER BY id`, [onSlurm[0]]);
    expect(slurmAdmit!.reason).not.toContain('requested executor');
  });

  it('a trial asking for Slurm and a GPU type only the local pool offers waits, naming every pool', async () => {
    const t = await create('slurm', { gpus: 1, gpuType: 'h100' });
    const reason = 'no pool offers executor slurm with GPU type h100 (pools: box (local, h100), hpc (slurm, a100))';
    const row = await eventually(async () =>
      (await h.sql<{ state: string; pending_reason: string | null }>(`SELECT state, pending_reason FROM compute.trial_run WHERE trial_id = ?`, [t]))
        .find((r) => r.pending_reason !== null));
    expect(row).toEqual({ state: 'queued', pending_reason: reason });
    await new Promise((r) => setTimeout(r, 400)); // several more cycles of both pools: still held
    expect(await h.sql(`SELECT state FROM compute.trial_run WHERE trial_id = ?`, [t])).toEqual([{ state: 'queued' }]);
    expect(launchedBy(t)).toEqual([]);
    // The same trial asking for the local executor would run at once on box's H100s.
    expect(await poolOf(await create('local', { gpus: 1, gpuType: 'h100' }))).toBe('box');
  });
});

/** Pools hpc (Slurm, live) and box (local, stopped: registered, no live replica); returns hpc's URL. */
async function withStoppedBox(h: ComputeHarness, hpcSettings: Partial<ComputeConfig> = {}): Promise<string> {
  const { url } = await h.start({ executor: stubExecutor('slurm'), pool: { name: 'hpc', cpus: 8, gpus: 0, memoryMb: 16384 }, ...hpcSettings });
  await h.start({ executor: stubExecutor('local'), pool: { name: 'box', cpus: 8, gpus: 0, memoryMb: 16384 } });
  await h.replicas.splice(1, 1)[0]!.close(); // box stops: it stays registered, with no live replica
  return url;
}

/** Publishes one CPU trial of tenant acme asking for the local executor; returns its id. */
async function createLocalTrial(h: ComputeHarness): Promise<string> {
  const trialId = randomUUID();
  const t: TrialCreated = {
    trialId, experimentId: randomUUID(), tenant: 'acme', trialIndex: 0, command: [process.execPath, '-e', LONG_TRIAL], env: {}, params: {}, seed: 0,
    resources: { cpus: 1, gpus: 0, memoryMb: 128 }, executor: 'local', maxRuntimeSeconds: 1800,
  };
  await h.experiments.em.fork().transactional((em) => publishEvent(em, 'experiments', { topic: TOPICS.trialCreated, aggregateId: trialId, tenant: 'acme', payload: { ...t } }));
  return trialId;
}

describe('compute: a trial whose only pool is stopped (real PostgreSQL)', () => {
  let h: ComputeHarness;
  let url: string;
  beforeAll(async () => {
    h = await ComputeHarness.create();
    url = await withStoppedBox(h);
  });
  afterAll(async () => {
    await h?.close();
    expect(h.problems).toEqual([]);
  });

  it('waits with a reason naming the stopped pool, and gets no estimated start from its capacity', async () => {
    await h.setQuota('acme', 1, { cpus: 16, concurrentTrials: 50 });
    const trialId = await createLocalTrial(h);
    const reason = 'waits for pool box (local): no compute replica of it is running';
    await eventually(async () => (await h.sql<{ pending_reason: string | null }>(`SELECT pending_reason FROM compute.trial_run WHERE trial_id = ?`, [trialId]))[0]?.pending_reason === reason);
    type Q = { queue: { trialId: string; pendingReason: string | null; estimatedStartAt: string | null; estimatedStartReason: string | null }[] };
    const q = await eventually(async () => {
      const r = await signedRequest<Q>(url, TEST_SECRET, claimsFor.member('acme', 'viewer'), '{ queue(tenant: "acme") { trialId pendingReason estimatedStartAt estimatedStartReason } }');
      return r.data!.queue.find((x) => x.trialId === trialId && x.estimatedStartReason !== null);
    });
    expect(q).toMatchObject({ pendingReason: reason, estimatedStartAt: null });
    expect(q.estimatedStartReason).toContain(reason);
  });

  it('forgets a pool not seen for a day: the trial then runs on the pools there are, and its admission says so', async () => {
    const [waiting] = await h.sql<{ trial_id: string }>(`SELECT trial_id FROM compute.trial_run WHERE state = 'queued'`);
    await h.sql(`UPDATE compute.pool SET last_seen_at = now() - interval '25 hours' WHERE name = 'box'`);
    await eventually(async () => (await h.sql<{ state: string }>(`SELECT state FROM compute.trial_run WHERE trial_id = ?`, [waiting!.trial_id]))[0]!.state === 'running');
    const [admit] = await h.sql<{ pool: string; reason: string }>(`SELECT pool, reason FROM compute.decision WHERE trial_id = ? AND kind = 'admit'`, [waiting!.trial_id]);
    expect(admit).toEqual({ pool: 'hpc', reason: expect.stringMatching(/; requested executor local: no pool runs it, runs on executor slurm of pool hpc$/) });
    // The live pool keeps itself seen.
    const [hpc] = await h.sql<{ fresh: boolean }>(`SELECT last_seen_at > now() - interval '1 minute' AS fresh FROM compute.pool WHERE name = 'hpc'`);
    expect(hpc!.fresh).toBe(true);
  });
});

describe('compute: a configured pool retention (FAIRSWEEP_POOL_RETENTION_HOURS; real PostgreSQL)', () => {
  let h: ComputeHarness;
  beforeAll(async () => {
    h = await ComputeHarness.create();
    await withStoppedBox(h, { fairShare: { poolRetentionHours: 1 } });
  });
  afterAll(async () => {
    await h?.close();
    expect(h.problems).toEqual([]);
  });

  it('forgets a pool not seen for longer than the retention: a trial waiting for it runs on the pools there are', async () => {
    await h.setQuota('acme', 1, { cpus: 16, concurrentTrials: 50 });
    const trialId = await createLocalTrial(h);
    const state = async () => (await h.sql<{ state: string; pending_reason: string | null }>(`SELECT state, pending_reason FROM compute.trial_run WHERE trial_id = ?`, [trialId]))[0]!;
    // Seen 30 minutes ago: within the hour, so the trial waits for it.
    await h.sql(`UPDATE compute.pool SET last_seen_at = now() - interval '30 minutes' WHERE name = 'box'`);
    await eventually(async () => (await state()).pending_reason === 'waits for pool box (local): no compute replica of it is running');
    // Seen 2 hours ago: past the retention of 1 hour (the default of 24 would still wait).
    await h.sql(`UPDATE compute.pool SET last_seen_at = now() - interval '2 hours' WHERE name = 'box'`);
    await eventually(async () => (await state()).state === 'running');
    const [admit] = await h.sql<{ pool: string }>(`SELECT pool FROM compute.decision WHERE trial_id = ? AND kind = 'admit'`, [trialId]);
    expect(admit!.pool).toBe('hpc');
  });
});

describe('compute: decommissioning a pool (real PostgreSQL)', () => {
  let h: ComputeHarness;
  let url: string;
  const gql = <T>(claims: Parameters<typeof signedRequest>[2], query: string, variables?: Record<string, unknown>) => signedRequest<T>(url, TEST_SECRET, claims, query, variables);
  const DECOMMISSION = 'mutation($n: ID!, $r: String!) { decommissionPool(name: $n, reason: $r) { name live decommissionedAt decommissionedBy decommissionReason } }';
  beforeAll(async () => {
    h = await ComputeHarness.create();
    url = (await h.start({ executor: stubExecutor('slurm'), pool: { name: 'hpc', cpus: 8, gpus: 0, memoryMb: 16384 } })).url;
    await h.start({ executor: stubExecutor('local'), pool: { name: 'box', cpus: 8, gpus: 0, memoryMb: 16384 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses non-admins and live pools; a gone pool is forgotten, its attempts retried elsewhere, and it comes back when started again', async () => {
    await h.setQuota('acme', 1, { cpus: 16, concurrentTrials: 50 });
    const [trialId] = await h.createTrials('acme', randomUUID(), 1, LONG_TRIAL, { cpus: 1, gpus: 0, memoryMb: 64 });
    const poolOf = async () => (await h.sql<{ pool: string; attempt: number }>(`SELECT pool, attempt FROM compute.allocation WHERE trial_id = ? AND state = 'active'`, [trialId]))[0];
    expect(await eventually(poolOf)).toMatchObject({ pool: 'box', attempt: 1 });

    const member = await gql(claimsFor.member('acme', 'tenant-admin'), DECOMMISSION, { n: 'box', r: 'rack removed' });
    expect(member.errors![0]).toMatchObject({ message: 'only platform admins may decommission pools', extensions: { code: 'FORBIDDEN' } });
    const live = await gql(claimsFor.platformAdmin(), DECOMMISSION, { n: 'box', r: 'rack removed' });
    expect(live.errors![0]).toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect(live.errors![0]!.message).toBe('pool "box" has a running compute replica: stop its compute processes first (decommissioning is for pools that are gone)');

    // box's compute process goes away for good, detached (as a crash would leave it): its attempt stays active.
    await h.replicas.splice(1, 1)[0]!.close();
    expect(await poolOf()).toMatchObject({ pool: 'box' });
    const done = await gql<{ decommissionPool: Record<string, unknown> }>(claimsFor.platformAdmin('ops'), DECOMMISSION, { n: 'box', r: 'rack removed' });
    expect(done.errors).toBeUndefined();
    expect(done.data!.decommissionPool).toMatchObject({ name: 'box', live: false, decommissionedBy: 'ops', decommissionReason: 'rack removed' });
    // The lost attempt is retried; with box forgotten, the default-local trial runs on hpc, saying so.
    expect(await eventually(async () => (await poolOf())?.pool === 'hpc' && poolOf())).toMatchObject({ pool: 'hpc', attempt: 2 });
    const [lost] = await h.sql<{ reason: string }>(`SELECT reason FROM compute.allocation WHERE trial_id = ? AND attempt = 1`, [trialId]);
    expect(lost!.reason).toBe('lost: pool box was decommissioned (rack removed)');
    const unknown = await gql(claimsFor.platformAdmin(), DECOMMISSION, { n: 'nowhere', r: 'x' });
    expect(unknown.errors![0]!.extensions!.code).toBe('NOT_FOUND');

    // Started again, box is back.
    await h.start({ executor: stubExecutor('local'), pool: { name: 'box', cpus: 8, gpus: 0, memoryMb: 16384 } });
    const pools = await gql<{ pools: { name: string; live: boolean; decommissionedAt: string | null }[] }>(claimsFor.platformAdmin(), '{ pools { name live decommissionedAt } }');
    expect(pools.data!.pools).toEqual([{ name: 'box', live: true, decommissionedAt: null }, { name: 'hpc', live: true, decommissionedAt: null }]);
  });
});
