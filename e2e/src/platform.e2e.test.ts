import { DEMO_TENANT } from '@fairsweep/platform';
import { gql, runCli, startTestPlatform, wsClient, type TestPlatform } from './harness.js';

/**
 * The foundation scenario through the real gateway: the demo tenant, the cross-subgraph query,
 * a sweep submitted with the CLI under the demo quota, and tenant isolation on every path.
 */
describe('platform end to end (gateway, three subgraphs, local executor)', () => {
  let tp: TestPlatform;
  let url: string;
  let demoAdmin: string;
  let root: string;
  let other: string;
  let experimentId: string;

  beforeAll(async () => {
    tp = await startTestPlatform();
    url = tp.platform.gatewayUrl;
    root = tp.platform.mintDevToken({ sub: 'root', roles: ['platform-admin'], memberships: [] });
    demoAdmin = tp.platform.mintDevToken({ sub: 'ada', roles: [], memberships: [{ tenant: 'demo', role: 'tenant-admin' }] });
    other = tp.platform.mintDevToken({ sub: 'bob', roles: [], memberships: [{ tenant: 'other', role: 'tenant-admin' }] });
    const created = await gql(url, root, `mutation { createTenant(input: { slug: "other", name: "Other", quota: { cpus: 1, gpus: 0, memoryMb: 512, concurrentTrials: 1 } }) { slug } }`);
    expect(created.errors).toBeUndefined();
  });
  afterAll(async () => {
    await tp?.stop();
  });

  it('refuses requests without a valid token', async () => {
    const res = await gql(url, null, '{ tenants { slug } }');
    expect(res.status).toBe(401);
    const bad = await gql(url, 'not-a-jwt', '{ tenants { slug } }');
    expect(bad.status).toBe(401);
  });

  it('answers 401 to requests sent straight to a subgraph without the gateway signature', async () => {
    for (const subgraphUrl of Object.values(tp.platform.subgraphUrls)) {
      const res = await gql(subgraphUrl, demoAdmin, '{ __typename }');
      expect(res.status).toBe(401);
      expect(res.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    }
  });

  it('runs a sweep from the CLI to completion within the quota and prints the best trial, streaming remaining quota', async () => {
    const env = { FAIRSWEEP_URL: url, FAIRSWEEP_TOKEN: demoAdmin };
    const quotaUpdates: { usage: { runningTrials: number }; remaining: { concurrentTrials: number } }[] = [];
    const client = wsClient(url, demoAdmin);
    const stop = client.subscribe<{ tenantQuota: (typeof quotaUpdates)[number] }>(
      { query: 'subscription { tenantQuota(tenant: "demo") { usage { runningTrials } remaining { concurrentTrials } } }' },
      { next: (m) => m.data && quotaUpdates.push(m.data.tenantQuota), error: () => undefined, complete: () => undefined },
    );
    const res = await runCli(['submit', 'examples/quadratic.yaml', '--follow'], env);
    stop();
    await client.dispose();
    // Live remaining quota went down to 0 while 3 trials ran, and never below.
    expect(quotaUpdates.length).toBeGreaterThan(2);
    expect(Math.max(...quotaUpdates.map((u) => u.usage.runningTrials))).toBe(DEMO_TENANT.quota.concurrentTrials);
    expect(Math.min(...quotaUpdates.map((u) => u.remaining.concurrentTrials))).toBe(0);
    expect(quotaUpdates.every((u) => u.usage.runningTrials + u.remaining.concurrentTrials === DEMO_TENANT.quota.concurrentTrials)).toBe(true);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/best trial #\d+ \([0-9a-f-]{36}\): val_loss=/);
    experimentId = /submitted experiment ([0-9a-f-]{36})/.exec(res.stdout)![1]!;

    const status = await gql(url, demoAdmin, `query($id: ID!) { experiment(id: $id) { status trials { state startedAt finishedAt } } }`, { id: experimentId });
    const trials = status.data.experiment.trials as { state: string; startedAt: string; finishedAt: string }[];
    expect(status.data.experiment.status).toBe('SUCCEEDED');
    expect(trials).toHaveLength(10);
    expect(trials.every((t) => t.state === 'SUCCEEDED')).toBe(true);
    // Never more trials at once than the demo quota's concurrentTrials.
    const points = trials.flatMap((t) => [[Date.parse(t.startedAt), 1], [Date.parse(t.finishedAt), -1]] as [number, number][]);
    points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let running = 0;
    let peak = 0;
    for (const [, d] of points) peak = Math.max(peak, (running += d));
    expect(peak).toBeLessThanOrEqual(DEMO_TENANT.quota.concurrentTrials);
    expect(peak).toBeGreaterThan(1);
  });

  it('answers one query spanning tenancy, experiments and compute', async () => {
    const res = await gql(url, demoAdmin, `{ tenant(slug: "demo") { slug name quota { version concurrentTrials cpus } experiments { id status } usage { runningTrials cpus } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.tenant).toMatchObject({
      slug: 'demo',
      quota: { version: 1, concurrentTrials: DEMO_TENANT.quota.concurrentTrials, cpus: DEMO_TENANT.quota.cpus },
      experiments: [{ id: experimentId, status: 'SUCCEEDED' }],
      usage: { runningTrials: 0, cpus: 0 },
    });
  });

  it('lists the installed plugins with name, kind, version and apiVersion', async () => {
    const res = await gql(url, demoAdmin, '{ strategies { name kind version apiVersion } executors { name kind version apiVersion } pools { name executor { name } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data.strategies.map((p: { name: string }) => p.name)).toEqual(['grid', 'random', 'tpe']);
    expect(res.data.strategies.every((p: { kind: string; apiVersion: string; version: string }) => p.kind === 'strategy' && p.apiVersion === '1' && /^\d+\.\d+\.\d+/.test(p.version))).toBe(true);
    expect(res.data.executors).toEqual([{ name: 'local', kind: 'executor', version: expect.stringMatching(/^\d+\.\d+\.\d+/), apiVersion: '1' }]);
    expect(res.data.pools).toEqual([{ name: 'local', executor: { name: 'local' } }]);
  });

  it('shows the CLI status of the experiment', async () => {
    const res = await runCli(['status', experimentId], { FAIRSWEEP_URL: url, FAIRSWEEP_TOKEN: demoAdmin });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('succeeded');
    expect(res.stdout.split('\n').filter((l) => /^\d+\s+succeeded/.test(l))).toHaveLength(10);
  });

  it('keeps another tenant out of demo data through the gateway and subscriptions', async () => {
    const res = await gql(url, other, `query($id: ID!) { tenant(slug: "demo") { slug } experiment(id: $id) { id } experiments { id } tenants { slug } }`, { id: experimentId });
    expect(res.data).toEqual({ tenant: null, experiment: null, experiments: [], tenants: [{ slug: 'other' }] });
    const client = wsClient(url, other);
    const outcome = await new Promise<string>((resolve) =>
      client.subscribe(
        { query: 'subscription($id: ID!) { trialProgress(experimentId: $id) { kind } }', variables: { id: experimentId } },
        { next: (m) => resolve(JSON.stringify(m)), error: (e) => resolve(JSON.stringify(e)), complete: () => resolve('complete') },
      ),
    );
    expect(outcome).toMatch(/not found/);
    await client.dispose();
  });

  it('refuses an invalid spec at submit, naming the field, and stores nothing', async () => {
    const spec = `apiVersion: fairsweep/v1\nkind: Experiment\nname: bad\nsearchSpace:\n  lr: { type: float, low: 1, high: 0.1 }\nobjective: { metric: loss, direction: up }\nbudget: { maxTrials: 2 }\ntrial: { command: "true" }\n`;
    const res = await gql(url, demoAdmin, 'mutation($s: String!) { submitExperiment(tenant: "demo", spec: $s) { id } }', { s: spec });
    expect(res.errors![0]!.extensions!.code).toBe('INVALID_SPEC');
    expect(res.errors![0]!.message).toMatch(/searchSpace\.lr/);
    expect(res.errors![0]!.message).toMatch(/objective\.direction/);
    const list = await gql(url, demoAdmin, '{ experiments(tenant: "demo") { id } }');
    expect(list.data.experiments).toHaveLength(1);
  });
});
