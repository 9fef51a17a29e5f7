import { randomUUID } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { signUpstream, type FairsweepClaims } from '@fairsweep/auth';
import { claimsFor, eventually, signedRequest, TEST_SECRET } from '@fairsweep/service-kit/testing';
import type { RunningService } from '@fairsweep/service-kit';
import { ComputeHarness, LONG_TRIAL, stubExecutor } from './testing-internal/compute-harness.js';

const QUOTA_SUB = `subscription($t: String!) { tenantQuota(tenant: $t) { tenant usage { cpus runningTrials queuedTrials } remaining { quotaVersion cpus concurrentTrials } } }`;

describe('compute GraphQL API', () => {
  let h: ComputeHarness;
  let svc: RunningService;
  let ws: Client;
  const alpha = claimsFor.member('alpha', 'viewer');
  const q = <T = Record<string, any>>(claims: FairsweepClaims, query: string, variables?: Record<string, unknown>) => signedRequest<T>(svc.url, TEST_SECRET, claims, query, variables);
  /** Subscribes as `claims`; returns the payloads received so far and a stop function. */
  const subscribe = (claims: FairsweepClaims, tenant: string) => {
    const variables = { t: tenant };
    const received: any[] = [];
    const stop = ws.subscribe(
      { query: QUOTA_SUB, variables, extensions: { fairsweep: signUpstream(TEST_SECRET, { query: QUOTA_SUB, variables, claims }) } },
      { next: (v) => void received.push(v), error: (e) => void received.push({ error: e }), complete: () => undefined },
    );
    return { received, stop };
  };

  beforeAll(async () => {
    h = await ComputeHarness.create();
    svc = await h.start({ executor: stubExecutor() });
    ws = createClient({ url: svc.url.replace('http://', 'ws://'), webSocketImpl: WebSocket, retryAttempts: 0 });
    await h.setQuota('alpha', 1, { cpus: 4, concurrentTrials: 2 });
    await h.setQuota('beta', 1, { cpus: 8, concurrentTrials: 5 });
    await h.createTrials('alpha', randomUUID(), 3, LONG_TRIAL, { cpus: 1, gpus: 0, memoryMb: 256 });
    await eventually(async () => (await h.sql(`SELECT 1 FROM compute.trial_run WHERE tenant = 'alpha' AND pending_reason IS NOT NULL`)).length === 1);
  });
  afterAll(async () => {
    await ws?.dispose();
    await h?.close();
  });

  it('answers 401 to requests without the gateway signature', async () => {
    const res = await fetch(svc.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ pools { name } }' }) });
    expect(res.status).toBe(401);
  });

  it('resolves Tenant usage and remaining quota via _entities, null for tenants the caller cannot see', async () => {
    const res = await q(alpha, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Tenant { slug usage { cpus memoryMb runningTrials queuedTrials } remaining { quotaVersion cpus concurrentTrials } } } }`, {
      r: [{ __typename: 'Tenant', slug: 'alpha' }, { __typename: 'Tenant', slug: 'beta' }],
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([
      { slug: 'alpha', usage: { cpus: 2, memoryMb: 512, runningTrials: 2, queuedTrials: 1 }, remaining: { quotaVersion: 1, cpus: 2, concurrentTrials: 0 } },
      null,
    ]);
  });

  it('resolves Cohort balance via _entities for whoever sees a member, null for others and for unknown cohorts', async () => {
    await h.setQuota('gamma', 1, { cpus: 2, concurrentTrials: 2, cohort: 'lab' });
    await h.setQuota('delta', 1, { cpus: 3, concurrentTrials: 2, cohort: 'lab', lendingLimit: { cpus: 2 } });
    await h.setCohortPolicy('lab', 4, { cpus: 1 });
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Cohort { name balance { members nominal { cpus } inUse { cpus } lent { cpus } borrowed { cpus } keptByCohort { cpus } borrowable { cpus } policyVersion } } } }`;
    const r = [{ __typename: 'Cohort', name: 'lab' }, { __typename: 'Cohort', name: 'nope' }];
    const lab = { members: 2, nominal: { cpus: 5 }, inUse: { cpus: 0 }, lent: { cpus: 4 }, borrowed: { cpus: 0 }, keptByCohort: { cpus: 1 }, borrowable: { cpus: 3 }, policyVersion: 4 };
    for (const claims of [claimsFor.member('gamma', 'viewer'), claimsFor.platformAdmin()]) {
      const res = await q(claims, query, { r });
      expect(res.errors).toBeUndefined();
      expect(res.data!._entities).toEqual([{ name: 'lab', balance: lab }, { name: 'nope', balance: null }]);
    }
    const outsider = await q(alpha, query, { r });
    expect(outsider.data!._entities).toEqual([{ name: 'lab', balance: null }, { name: 'nope', balance: null }]);
  });

  it('serves every timestamp as an ISO date (queue, running trials, decisions, priority changes, pools)', async () => {
    const admin = claimsFor.member('alpha', 'tenant-admin');
    const iso = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v)) && new Date(v).toISOString() === v;
    const [queued] = (await q(admin, `{ queue(tenant: "alpha") { trialId } }`)).data!.queue as { trialId: string }[];
    const change = await q(admin, `mutation($id: ID!) { setTrialPriority(tenant: "alpha", trialId: $id, priority: "preemptible", reason: "can wait") { changedAt } }`, { id: queued!.trialId });
    expect(change.errors).toBeUndefined();
    const res = await q(admin, `{
      queue(tenant: "alpha") { enqueuedAt estimatedStartAt }
      runningTrials(tenant: "alpha") { admittedAt }
      decisions(tenant: "alpha", limit: 5) { decidedAt }
      priorityChanges(tenant: "alpha") { changedAt }
      pools { lastSeenAt }
    }`);
    expect(res.errors).toBeUndefined();
    const d = res.data!;
    const stamps = [
      ...change.data!.setTrialPriority.map((c: { changedAt: string }) => c.changedAt),
      ...d.queue.map((x: { enqueuedAt: string }) => x.enqueuedAt), ...d.runningTrials.map((x: { admittedAt: string }) => x.admittedAt),
      ...d.decisions.map((x: { decidedAt: string }) => x.decidedAt), ...d.priorityChanges.map((x: { changedAt: string }) => x.changedAt),
      ...d.pools.map((x: { lastSeenAt: string }) => x.lastSeenAt),
    ];
    expect(stamps.length).toBeGreaterThanOrEqual(7);
    expect(stamps.filter((v) => !iso(v))).toEqual([]);
    await q(admin, `mutation($id: ID!) { setTrialPriority(tenant: "alpha", trialId: $id, priority: "standard", reason: "back") { changedAt } }`, { id: queued!.trialId });
  });

  it('lists the queue with positions and reasons, only for visible tenants; pools with capacity and usage', async () => {
    const res = await q(alpha, `{ queue(tenant: "alpha") { position pendingReason } runningTrials(tenant: "alpha") { attempt pool } pools { name capacity { cpus } used { cpus } runningTrials } }`);
    expect(res.data).toEqual({
      queue: [{ position: 1, pendingReason: 'tenant alpha quota: concurrentTrials 2/2 in use' }],
      runningTrials: [{ attempt: 1, pool: 'local' }, { attempt: 1, pool: 'local' }],
      pools: [{ name: 'local', capacity: { cpus: 16 }, used: { cpus: 2 }, runningTrials: 2 }],
    });
    // The same reason with its code and numbers, in the queue and in the decision log.
    const coded = await q(alpha, `{ queue(tenant: "alpha") { pendingDetails { code resource requested inUse limit available } } decisions(tenant: "alpha", limit: 50) { kind details { code } } }`);
    expect(coded.data!.queue[0].pendingDetails).toEqual([{ code: 'CONCURRENCY_CAP', resource: 'concurrentTrials', requested: 1, inUse: 2, limit: 2, available: null }]);
    const kinds = new Map((coded.data!.decisions as { kind: string; details: { code: string }[] }[]).map((d) => [d.kind, d.details.map((x) => x.code)]));
    expect(kinds.get('wait')).toEqual(['CONCURRENCY_CAP']);
    expect(kinds.get('admit')).toEqual([]);
    const other = await q(alpha, `{ queue(tenant: "beta") { position } }`);
    expect(other.errors![0]!.extensions!.code).toBe('NOT_FOUND');
  });

  it('streams tenantQuota: the current state first, then an update per usage change', async () => {
    const sub = subscribe(alpha, 'alpha');
    await eventually(() => sub.received.length >= 1);
    expect(sub.received[0]).toEqual({ data: { tenantQuota: { tenant: 'alpha', usage: { cpus: 2, runningTrials: 2, queuedTrials: 1 }, remaining: { quotaVersion: 1, cpus: 2, concurrentTrials: 0 } } } });
    await h.setQuota('alpha', 2, { cpus: 3, concurrentTrials: 3 });
    // v2 raises the cap: an update for the quota change, then one for the admission it allows. Each
    // update reads the current rows, so when the admission commits first both show 3 running.
    const last = await eventually(() => {
      const l = sub.received[sub.received.length - 1];
      return l?.data?.tenantQuota.usage.runningTrials === 3 && l;
    });
    expect(last.data.tenantQuota).toEqual({ tenant: 'alpha', usage: { cpus: 3, runningTrials: 3, queuedTrials: 0 }, remaining: { quotaVersion: 2, cpus: 0, concurrentTrials: 0 } });
    await eventually(() => sub.received.filter((r) => r.data?.tenantQuota.remaining.quotaVersion === 2).length >= 2);
    sub.stop();
  });

  it('refuses a tenantQuota subscription to a tenant the caller cannot see', async () => {
    const sub = subscribe(alpha, 'beta');
    await eventually(() => sub.received.length >= 1);
    const first = sub.received[0];
    const errors = first.errors ?? first.error;
    expect(errors[0]).toMatchObject({ message: 'tenant "beta" not found', extensions: { code: 'NOT_FOUND' } });
    expect(first.data ?? null).toBeNull();
  });

  it('streams a pool\'s queue state: totals now, then at every change; unknown pools are NOT_FOUND', async () => {
    const POOL_SUB = 'subscription($p: String!) { poolQueue(pool: $p) { pool capacity { cpus } used { cpus } runningTrials queuedTrials } }';
    const listen = (pool: string) => {
      const variables = { p: pool };
      const received: any[] = [];
      const stop = ws.subscribe(
        { query: POOL_SUB, variables, extensions: { fairsweep: signUpstream(TEST_SECRET, { query: POOL_SUB, variables, claims: alpha }) } },
        { next: (v) => void received.push(v), error: (e) => void received.push({ error: e }), complete: () => undefined },
      );
      return { received, stop };
    };
    const sub = listen('local');
    await eventually(() => sub.received.length >= 1);
    const first = sub.received[0].data.poolQueue;
    expect(first).toMatchObject({ pool: 'local', capacity: { cpus: 16 } });
    await h.createTrials('beta', randomUUID(), 1, LONG_TRIAL, { cpus: 1, gpus: 0, memoryMb: 64 });
    const next = await eventually(() => sub.received.find((r) => r.data?.poolQueue.runningTrials === first.runningTrials + 1));
    expect(next.data.poolQueue.used.cpus).toBe(first.used.cpus + 1);
    sub.stop();
    const missing = listen('nope');
    await eventually(() => missing.received.length >= 1);
    expect(JSON.stringify(missing.received[0])).toContain('pool \\"nope\\" not found');
  });

  it('refuses unsigned subscriptions', async () => {
    const received: any[] = [];
    ws.subscribe({ query: QUOTA_SUB, variables: { t: 'alpha' } }, { next: (v) => void received.push(v), error: (e) => void received.push({ error: e }), complete: () => undefined });
    await eventually(() => received.length >= 1);
    expect(JSON.stringify(received[0])).toContain('UNAUTHENTICATED');
  });
});
