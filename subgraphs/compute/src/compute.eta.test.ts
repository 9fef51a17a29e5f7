import { randomUUID } from 'node:crypto';
import { TOPICS } from '@fairsweep/service-kit';
import { claimsFor, eventually, signedRequest, TEST_SECRET } from '@fairsweep/service-kit/testing';
import { ComputeHarness } from './testing-internal/compute-harness.js';

const ONE_SECOND = `setTimeout(() => console.log('FAIRSWEEP_METRIC loss=1'), 1000)`;

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
    // The running trial ends within about a second; the next one a second after that.
    expect(etas[0]).toBeGreaterThanOrEqual(-200);
    expect(etas[0]).toBeLessThan(1600);
    expect(etas[1]! - etas[0]!).toBeGreaterThan(700);
    expect(etas[1]! - etas[0]!).toBeLessThan(1600);
  });
});
