import { randomUUID } from 'node:crypto';
import { publishEvent, TOPICS, type TrialCreated } from '@fairsweep/service-kit';
import { claimsFor, eventually, signedRequest, TEST_SECRET } from '@fairsweep/service-kit/testing';
import { ComputeHarness } from './testing-internal/compute-harness.js';
import { setProjectQuota } from './testing-internal/project-quota.helpers.js';

const ONE_SECOND = `setTimeout(() => console.log('FAIRSWEEP_METRIC loss=1'), 1000)`;
/** Still running while the test reads its experiment's estimate (an estimate may be up to 2 s old). */
const FOUR_SECONDS = `setTimeout(() => console.log('FAIRSWEEP_METRIC loss=1'), 4000)`;

describe('compute: estimated start times for queued trials', () => {
  let h: ComputeHarness;
  let url: string;
  beforeAll(async () => {
    h = await ComputeHarness.create();
    url = (await h.start()).url;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('estimates each queued trial from the experiment’s observed run time and its queue position', async () => {
    await h.setQuota('eta', 1, { cpus: 4, concurrentTrials: 1 });
    const experimentId = randomUUID();
    await h.createTrials('eta', experimentId, 1, ONE_SECOND);
    await eventually(async () => (await h.events(TOPICS.trialFinished, 'eta')).length === 1, 15_000);
    await h.createTrials('eta', experimentId, 3, ONE_SECOND);
    await eventually(async () => (await h.events(TOPICS.trialStarted, 'eta')).length === 2, 15_000);
    const res = await signedRequest<{ queue: { position: number; estimatedStartAt: string | null; pendingReason: string | null }[] }>(
      url, TEST_SECRET, claimsFor.member('eta', 'viewer'), '{ queue(tenant: "eta") { position estimatedStartAt pendingReason } }',
    );
    const now = Date.now();
    const etas = res.data!.queue.map((q) => Date.parse(q.estimatedStartAt!) - now);
    expect(res.data!.queue.map((q) => q.position)).toEqual([1, 2]);
    // The running trial ends within about its observed run time (1 s of script plus process start);
    // the next one that long after, rounded up to the 250 ms admission interval.
    expect(etas[0]).toBeGreaterThanOrEqual(-200);
    expect(etas[0]).toBeLessThan(2600);
    expect(etas[1]! - etas[0]!).toBeGreaterThan(700);
    expect(etas[1]! - etas[0]!).toBeLessThan(2600);
  });

  it('contributes Experiment.estimatedCompletionAt through _entities, counting trials not created yet, to its own tenant only', async () => {
    await h.setQuota('done', 1, { cpus: 4, concurrentTrials: 1 });
    const experimentId = randomUUID();
    // maxTrials 4, maxParallel 1: one created now (about 4 s), three more to come one after another.
    await h.experiments.em.fork().transactional(async (em) => {
      const t: TrialCreated = {
        trialId: randomUUID(), experimentId, tenant: 'done', trialIndex: 0, command: [process.execPath, '-e', FOUR_SECONDS], env: {}, params: {},
        seed: 1, resources: { cpus: 1, gpus: 0, memoryMb: 128 }, executor: 'local', maxRuntimeSeconds: 5, maxTrials: 4, maxParallel: 1,
      };
      await publishEvent(em, 'experiments', { topic: TOPICS.trialCreated, aggregateId: t.trialId, tenant: 'done', payload: { ...t } });
    });
    await eventually(async () => (await h.events(TOPICS.trialStarted, 'done')).length === 1, 15_000);
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Experiment { id estimatedCompletionAt estimatedCompletionReason remainingTrials } } }`;
    type Res = { _entities: ({ estimatedCompletionAt: string | null; estimatedCompletionReason: string | null; remainingTrials: number | null } | null)[] };
    const vars = { r: [{ __typename: 'Experiment', id: experimentId }] };
    // Estimates are cached for up to 2 s (one replay serves every request meanwhile).
    let e: Res['_entities'][number] = null;
    await eventually(async () => {
      e = (await signedRequest<Res>(url, TEST_SECRET, claimsFor.member('done', 'viewer'), query, vars)).data!._entities[0]!;
      // The first replay may run before the attempt's start is recorded; wait for one that has it.
      return e.remainingTrials !== null && e.estimatedCompletionAt !== null;
    }, 15_000).catch((err: Error) => {
      throw new Error(`${err.message}; last answer: ${JSON.stringify(e)}`);
    });
    e = e!;
    expect(e.remainingTrials).toBe(3);
    expect(e.estimatedCompletionReason).toBeNull();
    // No trial has finished yet, so each lasts its maxRuntimeSeconds (5 s): the running one, then three in a row
    // (an estimate may be up to 2 s old and the running attempt a few seconds in).
    const sec = (Date.parse(e.estimatedCompletionAt!) - Date.now()) / 1000;
    expect(sec).toBeGreaterThan(11);
    expect(sec).toBeLessThan(21);
    const other = await signedRequest<Res>(url, TEST_SECRET, claimsFor.member('eta', 'viewer'), query, vars);
    expect(other.data!._entities[0]).toBeNull();
  });
  it("estimates a project's queued trials behind its own limit, not just the pool's free capacity", async () => {
    await h.setQuota('proj', 1, { cpus: 8, concurrentTrials: 10 });
    await setProjectQuota(h, 'proj', 'vision', 1, { concurrentTrials: 1 });
    const experimentId = randomUUID();
    // Three trials of project vision that may run 5 s each; the pool has CPUs for all of them.
    await h.experiments.em.fork().transactional(async (em) => {
      for (let i = 0; i < 3; i++) {
        const t: TrialCreated = {
          trialId: randomUUID(), experimentId, tenant: 'proj', trialIndex: i, command: [process.execPath, '-e', FOUR_SECONDS], env: {}, params: {},
          seed: i, resources: { cpus: 1, gpus: 0, memoryMb: 128 }, executor: 'local', maxRuntimeSeconds: 5, project: 'vision',
        };
        await publishEvent(em, 'experiments', { topic: TOPICS.trialCreated, aggregateId: t.trialId, tenant: 'proj', payload: { ...t } });
      }
    });
    await eventually(async () => (await h.events(TOPICS.trialStarted, 'proj')).length === 1, 15_000);
    type Q = { queue: { estimatedStartAt: string | null; estimatedStartReason: string | null; pendingReason: string | null }[] };
    const res = await eventually(async () => {
      const r = await signedRequest<Q>(url, TEST_SECRET, claimsFor.member('proj', 'viewer'), '{ queue(tenant: "proj") { estimatedStartAt estimatedStartReason pendingReason } }');
      return r.data!.queue.length === 2 && r.data!.queue.every((q) => q.pendingReason !== null && q.estimatedStartAt !== null) && r;
    });
    const now = Date.now();
    const etas = res.data!.queue.map((q) => Date.parse(q.estimatedStartAt!) - now);
    expect(res.data!.queue[0]!.pendingReason).toMatch(/project vision/);
    // One after another, each up to its 5 s maximum runtime (the running one started < 5 s ago).
    expect(etas[0]).toBeGreaterThan(500);
    expect(etas[0]).toBeLessThanOrEqual(5500);
    expect(etas[1]! - etas[0]!).toBeGreaterThan(4500);
    expect(etas[1]! - etas[0]!).toBeLessThan(5500);
  });
});
