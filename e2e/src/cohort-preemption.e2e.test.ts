import { gql, runCli, startTestPlatform, type TestPlatform } from './harness.js';

const LONG = `node -e "process.on('SIGTERM', () => process.exit(143)); setTimeout(() => { console.log('FAIRSWEEP_METRIC loss=1'); }, 600000)"`;
const SHORT = `node -e "setTimeout(() => console.log('FAIRSWEEP_METRIC loss=0.5'), 300)"`;
const spec = (name: string, trials: number, command: string) => `apiVersion: fairsweep/v1
kind: Experiment
name: ${name}
seed: 1
searchSpace: { x: { type: float, low: 0, high: 1 } }
objective: { metric: loss, direction: minimize }
budget: { maxTrials: ${trials}, maxParallel: ${trials} }
trial:
  command: ${JSON.stringify(command)}
  resources: { cpus: 1, memoryMb: 64 }
`;

/**
 * Must show (quotas issue), through the gateway: a tenant over its nominal quota borrows idle
 * cohort capacity, is preempted gracefully when the lender needs it back, and every decision is
 * in the decision log with its reason and policy version.
 */
describe('cohort borrowing and reclaim through the gateway', () => {
  let tp: TestPlatform;
  let url: string;
  let root: string;
  const token = (tenant: string) => tp.platform.mintDevToken({ sub: `admin@${tenant}`, roles: [], memberships: [{ tenant, role: 'tenant-admin' }] });
  const until = async <T>(f: () => Promise<T | null | undefined | false>, ms = 30_000): Promise<T> => {
    const end = Date.now() + ms;
    for (;;) {
      const v = await f();
      if (v) return v;
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  beforeAll(async () => {
    tp = await startTestPlatform({ cpus: 4, memoryMb: 8192 }, 0);
    url = tp.platform.gatewayUrl;
    root = tp.platform.mintDevToken({ sub: 'root', roles: ['platform-admin'], memberships: [] });
    for (const slug of ['lab-a', 'lab-b']) {
      const res = await gql(url, root, `mutation($s: String!) { createTenant(input: { slug: $s, name: $s, quota: { cpus: 2, gpus: 0, memoryMb: 4096, concurrentTrials: 10, cohort: "lab" } }, reason: "cohort test") { slug } }`, { s: slug });
      expect(res.errors).toBeUndefined();
    }
  }, 60_000);
  afterAll(async () => {
    await tp?.stop();
  });

  it('borrows, is reclaimed gracefully, requeues, and logs why', async () => {
    const a = token('lab-a');
    const sub = await gql(url, a, 'mutation($s: String!) { submitExperiment(tenant: "lab-a", spec: $s) { id } }', { s: spec('borrower', 4, LONG) });
    expect(sub.errors).toBeUndefined();
    const borrowerId = sub.data.submitExperiment.id;
    const running = await until(async () => {
      const r = await gql(url, a, '{ runningTrials(tenant: "lab-a") { trialId borrowed } }');
      return r.data.runningTrials.length === 4 && r.data.runningTrials;
    });
    expect(running.filter((t: { borrowed: boolean }) => t.borrowed)).toHaveLength(2);

    const b = token('lab-b');
    const lender = await gql(url, b, 'mutation($s: String!) { submitExperiment(tenant: "lab-b", spec: $s) { id } }', { s: spec('lender', 2, SHORT) });
    const lenderId = lender.data.submitExperiment.id;
    const done = await until(async () => {
      const r = await gql(url, b, 'query($id: ID!) { experiment(id: $id) { status } }', { id: lenderId });
      return r.data.experiment.status === 'SUCCEEDED' && r;
    });
    expect(done.data.experiment.status).toBe('SUCCEEDED');

    const log = await gql(url, a, '{ decisions(tenant: "lab-a", limit: 100) { kind reason quotaVersion attemptId details { code } } }');
    const preempts = log.data.decisions.filter((d: { kind: string }) => d.kind === 'preempt');
    expect(preempts).toHaveLength(2);
    expect(preempts[0]).toMatchObject({ reason: 'preempted: tenant lab-b reclaims its nominal quota lent to cohort lab', quotaVersion: 1, details: [{ code: 'RECLAIMED' }] });
    const borrowedAdmits = log.data.decisions.filter((d: { kind: string; reason: string }) => d.kind === 'admit' && d.reason.includes('borrowing cohort quota'));
    expect(borrowedAdmits.length).toBeGreaterThanOrEqual(2);

    // The borrower's preempted trials come back as attempt 2; none failed or was lost.
    const trials = await until(async () => {
      const r = await gql(url, a, 'query($id: ID!) { experiment(id: $id) { trials { state attempt } } }', { id: borrowerId });
      const t = r.data.experiment.trials as { state: string; attempt: number }[];
      return t.filter((x) => x.attempt === 2 && x.state === 'RUNNING').length === 2 && t;
    });
    expect(trials.every((t) => t.state === 'RUNNING')).toBe(true);
    const provenance = await gql(url, a, `query($id: ID!) { experiment(id: $id) { trials { id attempt } } }`, { id: borrowerId });
    expect(provenance.errors).toBeUndefined();

    const cancel = await gql(url, a, 'mutation($id: ID!) { cancelExperiment(id: $id, reason: "test over") { status } }', { id: borrowerId });
    expect(cancel.errors).toBeUndefined();
    await until(async () => {
      const r = await gql(url, a, 'query($id: ID!) { experiment(id: $id) { status } }', { id: borrowerId });
      return r.data.experiment.status === 'CANCELLED';
    });
  });
  it('keeps the cohort lending headroom a platform admin sets: the lender starts at once, without preempting', async () => {
    const a = token('lab-a');
    const b = token('lab-b');
    const set = await gql(url, root, `mutation { setCohortPolicy(cohort: "lab", policy: { lendingHeadroom: { cpus: 1 } }, reason: "keep one CPU for lenders' arrivals") { version lendingHeadroom { cpus } } }`);
    expect(set.errors).toBeUndefined();
    const version = set.data.setCohortPolicy.version;
    expect(set.data.setCohortPolicy.lendingHeadroom).toEqual({ cpus: 1 });
    // Only platform admins change it; a member sees it, with the members it can see.
    const refused = await gql(url, a, `mutation { setCohortPolicy(cohort: "lab", policy: {}, reason: "mine") { version } }`);
    expect(refused.errors?.[0]).toMatchObject({ message: 'not allowed to change cohort policies: platform admins only', extensions: { code: 'FORBIDDEN' } });
    const seen = await gql(url, a, '{ cohort(name: "lab") { name members policy { version reason lendingHeadroom { cpus } } } }');
    expect(seen.data.cohort).toEqual({ name: 'lab', members: ['lab-a'], policy: { version, reason: "keep one CPU for lenders' arrivals", lendingHeadroom: { cpus: 1 } } });

    // lab-b lends 2; the cohort keeps 1: lab-a runs its nominal 2 and borrows 1, and the 4th says why it waits.
    const sub = await gql(url, a, 'mutation($s: String!) { submitExperiment(tenant: "lab-a", spec: $s) { id } }', { s: spec('borrower-kept', 4, LONG) });
    expect(sub.errors).toBeUndefined();
    const borrowerId = sub.data.submitExperiment.id;
    await until(async () => {
      const r = await gql(url, a, '{ runningTrials(tenant: "lab-a") { trialId } }');
      return r.data.runningTrials.length === 3;
    });
    const waiting = await until(async () => {
      const r = await gql(url, a, '{ queue(tenant: "lab-a") { pendingReason pendingDetails { code resource requested available limit } } }');
      return r.data.queue.find((q: { pendingReason: string | null }) => q.pendingReason?.includes('lending headroom'));
    });
    // The researcher's view from the CLI: position, wait, estimate and the reason, with the policy version.
    const cli = await runCli(['queue'], { FAIRSWEEP_URL: url, FAIRSWEEP_TOKEN: a });
    expect(cli).toMatchObject({ code: 0, stderr: '' });
    expect(cli.stdout).toContain('tenant lab-a: 3 running (3 CPUs, 0 GPUs, 192 MB), 1 queued');
    expect(cli.stdout).toMatch(new RegExp(`\\n1 +[0-9a-f]{8}#\\d+ +standard .*of which the cohort keeps 1 unlent as its lending headroom \\(cohort policy v${version}\\)`));

    // Compute's balance of the cohort, through the gateway beside tenancy's policy.
    const balance = await gql(url, a, '{ cohort(name: "lab") { policy { version } balance { members inUse { cpus } lent { cpus } borrowed { cpus } keptByCohort { cpus } borrowable { cpus } policyVersion } } }');
    expect(balance.errors).toBeUndefined();
    expect(balance.data.cohort.balance).toEqual({
      members: 2, inUse: { cpus: 3 }, lent: { cpus: 2 }, borrowed: { cpus: 1 }, keptByCohort: { cpus: 1 }, borrowable: { cpus: 0 }, policyVersion: version,
    });
    expect(waiting.pendingDetails).toEqual([{ code: 'COHORT_HEADROOM', resource: 'cpus', requested: 2, available: 1, limit: 1 }]);
    expect(waiting.pendingReason).toContain(`cohort lab: cpus 2 would be borrowed, members lend 2, of which the cohort keeps 1 unlent as its lending headroom (cohort policy v${version})`);

    // The lender's trial takes the kept CPU at once: no preemption this time.
    const lender = await gql(url, b, 'mutation($s: String!) { submitExperiment(tenant: "lab-b", spec: $s) { id } }', { s: spec('lender-kept', 1, SHORT) });
    const lenderId = lender.data.submitExperiment.id;
    await until(async () => {
      const r = await gql(url, b, 'query($id: ID!) { experiment(id: $id) { status } }', { id: lenderId });
      return r.data.experiment.status === 'SUCCEEDED';
    });
    const kept = await gql(url, a, 'query($id: ID!) { experiment(id: $id) { trials { state attempt } } }', { id: borrowerId });
    // Three first attempts still running, the 4th never started (attempt 0): none preempted into a 2nd.
    expect(kept.data.experiment.trials.map((t: { attempt: number }) => t.attempt).sort()).toEqual([0, 1, 1, 1]);
    expect(kept.data.experiment.trials.filter((t: { state: string }) => t.state === 'RUNNING')).toHaveLength(3);

    await gql(url, a, 'mutation($id: ID!) { cancelExperiment(id: $id, reason: "test over") { status } }', { id: borrowerId });
    await until(async () => {
      const r = await gql(url, a, 'query($id: ID!) { experiment(id: $id) { status } }', { id: borrowerId });
      return r.data.experiment.status === 'CANCELLED';
    });
  });
});
