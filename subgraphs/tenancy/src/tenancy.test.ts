import { createTestDatabase, claimsFor, signedRequest, TEST_SECRET, type TestDatabase } from '@fairsweep/service-kit/testing';
import type { RunningService } from '@fairsweep/service-kit';
import { startTenancy } from './index.js';

describe('tenancy subgraph', () => {
  let db: TestDatabase;
  let svc: RunningService;
  const root = claimsFor.platformAdmin();
  const q = <T = Record<string, any>>(claims: Parameters<typeof signedRequest>[2], query: string, variables?: Record<string, unknown>) =>
    signedRequest<T>(svc.url, TEST_SECRET, claims, query, variables);
  const create = (slug: string) =>
    q(root, `mutation($i: CreateTenantInput!) { createTenant(input: $i, reason: "test") { slug } }`, {
      i: { slug, name: slug.toUpperCase(), quota: { cpus: 4, gpus: 1, memoryMb: 4096, concurrentTrials: 3 }, admin: `admin@${slug}` },
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    svc = await startTenancy({ databaseUrl: db.url, host: '127.0.0.1', port: 0, upstreamSecret: TEST_SECRET });
    expect((await create('alpha')).errors).toBeUndefined();
    expect((await create('beta')).errors).toBeUndefined();
  });
  afterAll(async () => {
    await svc?.close();
    await db?.drop();
  });

  it('answers 401 to requests without the gateway signature', async () => {
    const res = await fetch(svc.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ tenants { slug } }' }) });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('shows each caller only their own tenants', async () => {
    const a = await q(claimsFor.member('alpha'), '{ tenants { slug } tenant(slug: "beta") { slug } }');
    expect(a.data).toEqual({ tenants: [{ slug: 'alpha' }], tenant: null });
    const all = await q(root, '{ tenants { slug } }');
    expect(all.data!.tenants).toEqual([{ slug: 'alpha' }, { slug: 'beta' }]);
  });

  it('resolves _entities only for tenants the signed caller belongs to', async () => {
    const res = await q(
      claimsFor.member('alpha'),
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Tenant { slug name quota { cpus } } } }`,
      { r: [{ __typename: 'Tenant', slug: 'alpha' }, { __typename: 'Tenant', slug: 'beta' }] },
    );
    expect(res.data!._entities).toEqual([{ slug: 'alpha', name: 'ALPHA', quota: { cpus: 4 } }, null]);
  });

  it('versions quota changes, records who and why, and restricts them to platform admins', async () => {
    const denied = await q(claimsFor.member('alpha', 'tenant-admin'), `mutation { setTenantQuota(tenant: "alpha", quota: {cpus: 99, gpus: 9, memoryMb: 1, concurrentTrials: 9}) { version } }`);
    expect(denied.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const ok = await q(root, `mutation { setTenantQuota(tenant: "alpha", quota: {cpus: 8, gpus: 2, memoryMb: 8192, concurrentTrials: 5}, reason: "more work") { version changedBy reason } }`);
    expect(ok.data!.setTenantQuota).toEqual({ version: 2, changedBy: 'root', reason: 'more work' });
    const hist = await q(claimsFor.member('alpha', 'viewer'), '{ tenant(slug: "alpha") { quota { version cpus } quotaHistory { version } } }');
    expect(hist.data!.tenant).toEqual({ quota: { version: 2, cpus: 8 }, quotaHistory: [{ version: 2 }, { version: 1 }] });
    await expect(svc.orm.em.getConnection().execute(`UPDATE tenancy.quota_version SET cpus = 1`)).rejects.toThrow(/immutable/);
  });

  it('refuses invalid input with the field and the rule', async () => {
    const bad = await q(root, `mutation { setTenantQuota(tenant: "alpha", quota: {cpus: -1, gpus: 0, memoryMb: 1, concurrentTrials: 1}) { version } }`);
    expect(bad.errors![0]).toMatchObject({ message: 'quota.cpus: must be a number >= 0, got -1', extensions: { code: 'INVALID_INPUT' } });
    const slug = await create('Bad Slug');
    expect(slug.errors![0]!.message).toContain('input.slug: "Bad Slug" is not a valid slug');
  });

  it('records a fair-share weight and allowed priority classes with each quota version', async () => {
    const res = await q(root, `mutation { setTenantQuota(tenant: "beta", quota: {cpus: 4, gpus: 0, memoryMb: 1024, concurrentTrials: 2, weight: 2.5, priorityClasses: ["preemptible", "critical"]}, reason: "on call") { version weight priorityClasses } }`);
    expect(res.data!.setTenantQuota).toEqual({ version: 2, weight: 2.5, priorityClasses: ['critical', 'preemptible'] });
    const defaults = await q(root, '{ tenant(slug: "alpha") { quotaHistory { version weight priorityClasses } } }');
    expect(defaults.data!.tenant.quotaHistory.at(-1)).toEqual({ version: 1, weight: 1, priorityClasses: ['standard', 'preemptible'] });
    const bad = await q(root, `mutation { setTenantQuota(tenant: "beta", quota: {cpus: 4, gpus: 0, memoryMb: 1024, concurrentTrials: 2, weight: 0, priorityClasses: ["urgent"]}) { version } }`);
    expect(bad.errors![0]!.message).toBe('quota.weight: must be a number > 0, got 0');
    const badClass = await q(root, `mutation { setTenantQuota(tenant: "beta", quota: {cpus: 4, gpus: 0, memoryMb: 1024, concurrentTrials: 2, priorityClasses: ["urgent"]}) { version } }`);
    expect(badClass.errors![0]!.message).toBe('quota.priorityClasses: "urgent" is not a priority class; allowed: critical, standard, preemptible');
    const [event] = await svc.orm.em.getConnection().execute<{ payload: Record<string, unknown> }[]>(
      `SELECT payload FROM tenancy.outbox_event WHERE tenant = 'beta' ORDER BY id DESC LIMIT 1`,
    );
    expect(event!.payload).toMatchObject({ version: 2, weight: 2.5, priorityClasses: ['critical', 'preemptible'], reason: 'on call' });
  });

  it('records a GPU-hour budget, its period and safe mode, refusing invalid ones', async () => {
    const ok = await q(root, `mutation { setTenantQuota(tenant: "beta", quota: {cpus: 4, gpus: 2, memoryMb: 1024, concurrentTrials: 2, gpuHoursBudget: 100, budgetPeriod: "week"}) { gpuHoursBudget budgetPeriod budgetSafeMode } }`);
    expect(ok.data!.setTenantQuota).toEqual({ gpuHoursBudget: 100, budgetPeriod: 'week', budgetSafeMode: true });
    const bad = await q(root, `mutation { setTenantQuota(tenant: "beta", quota: {cpus: 4, gpus: 2, memoryMb: 1024, concurrentTrials: 2, gpuHoursBudget: 5, budgetPeriod: "year"}) { version } }`);
    expect(bad.errors![0]!.message).toBe('quota.budgetPeriod: "year" is not one of day, week, month, decay');
    const neg = await q(root, `mutation { setTenantQuota(tenant: "beta", quota: {cpus: 4, gpus: 2, memoryMb: 1024, concurrentTrials: 2, gpuHoursBudget: -1}) { version } }`);
    expect(neg.errors![0]!.message).toBe('quota.gpuHoursBudget: must be a number >= 0 (or null for no budget), got -1');
  });

  it('records a usage-decay budget with its half-life (default one week), and refuses a half-life without decay or out of range', async () => {
    const set = (quota: string) => q(root, `mutation { setTenantQuota(tenant: "beta", quota: {cpus: 4, gpus: 2, memoryMb: 1024, concurrentTrials: 2, gpuHoursBudget: 100, ${quota}}) {
      version budgetPeriod budgetHalfLifeHours } }`);
    const ok = await set('budgetPeriod: "decay", budgetHalfLifeHours: 72');
    expect(ok.data!.setTenantQuota).toMatchObject({ budgetPeriod: 'decay', budgetHalfLifeHours: 72 });
    const [event] = await svc.orm.em.getConnection().execute<{ payload: Record<string, unknown> }[]>(
      `SELECT payload FROM tenancy.outbox_event WHERE tenant = 'beta' ORDER BY id DESC LIMIT 1`,
    );
    expect(event!.payload).toMatchObject({ gpuHoursBudget: 100, budgetPeriod: 'decay', budgetHalfLifeHours: 72 });
    expect((await set('budgetPeriod: "decay"')).data!.setTenantQuota).toMatchObject({ budgetPeriod: 'decay', budgetHalfLifeHours: 168 });
    expect((await set('budgetPeriod: "week"')).data!.setTenantQuota).toMatchObject({ budgetPeriod: 'week', budgetHalfLifeHours: null });
    expect((await set('budgetHalfLifeHours: 24')).errors![0]!.message)
      .toBe('quota.budgetHalfLifeHours: applies only when budgetPeriod is "decay" (budgetPeriod is "month"); omit it or set budgetPeriod: "decay"');
    expect((await set('budgetPeriod: "decay", budgetHalfLifeHours: 0')).errors![0]!.message).toBe('quota.budgetHalfLifeHours: must be a number of hours > 0 and <= 8760, got 0');
    expect((await set('budgetPeriod: "decay", budgetHalfLifeHours: 9000')).errors![0]!.message).toBe('quota.budgetHalfLifeHours: must be a number of hours > 0 and <= 8760, got 9000');
    // The database holds the same rule, whatever writes the row.
    await expect(svc.orm.em.getConnection().execute(
      `INSERT INTO tenancy.quota_version (tenant, version, cpus, gpus, memory_mb, concurrent_trials, changed_by, budget_period, budget_half_life_hours)
       VALUES ('beta', 1000, 1, 0, 1, 1, 'x', 'month', 24)`,
    )).rejects.toThrow(/budget_window_check/);
  });

  it('records cohort membership with borrowing and lending limits', async () => {
    const res = await q(root, `mutation { setTenantQuota(tenant: "beta", quota: {cpus: 4, gpus: 0, memoryMb: 1024, concurrentTrials: 4, cohort: "research", borrowingLimit: {cpus: 2}, lendingLimit: {cpus: 1, gpus: 0}}) { cohort borrowingLimit { cpus gpus memoryMb } lendingLimit { cpus gpus } } }`);
    expect(res.data!.setTenantQuota).toEqual({ cohort: 'research', borrowingLimit: { cpus: 2, gpus: null, memoryMb: null }, lendingLimit: { cpus: 1, gpus: 0 } });
    const bad = await q(root, `mutation { setTenantQuota(tenant: "beta", quota: {cpus: 4, gpus: 0, memoryMb: 1024, concurrentTrials: 4, cohort: "Research Team", borrowingLimit: {cpus: -2}}) { version } }`);
    expect(bad.errors![0]!.message).toContain('quota.cohort: "Research Team" is not a valid slug');
    const neg = await q(root, `mutation { setTenantQuota(tenant: "beta", quota: {cpus: 4, gpus: 0, memoryMb: 1024, concurrentTrials: 4, borrowingLimit: {cpus: -2}}) { version } }`);
    expect(neg.errors![0]!.message).toBe('quota.borrowingLimit.cpus: must be a number >= 0 (or null for no limit), got -2');
  });

  it('records a lending headroom, carries it in the event and history, and refuses one outside a cohort or above nominal', async () => {
    const set = (extra: string) => q(root, `mutation { setTenantQuota(tenant: "beta", quota: {cpus: 4, gpus: 2, memoryMb: 1024, concurrentTrials: 4, ${extra}}, reason: "keep room") { version lendingHeadroom { cpus gpus memoryMb } } }`);
    const ok = await set('cohort: "research", lendingHeadroom: {cpus: 1.5, gpus: 1}');
    expect(ok.data!.setTenantQuota.lendingHeadroom).toEqual({ cpus: 1.5, gpus: 1, memoryMb: null });
    const [event] = await svc.orm.em.getConnection().execute<{ payload: Record<string, unknown> }[]>(
      `SELECT payload FROM tenancy.outbox_event WHERE tenant = 'beta' ORDER BY id DESC LIMIT 1`,
    );
    expect(event!.payload).toMatchObject({ version: ok.data!.setTenantQuota.version, lendingHeadroom: { cpus: 1.5, gpus: 1 } });
    const history = await q(root, `{ tenant(slug: "beta") { quotaHistory { version lendingHeadroom { cpus } } } }`);
    expect(history.data!.tenant.quotaHistory.find((v: { version: number }) => v.version === ok.data!.setTenantQuota.version).lendingHeadroom).toEqual({ cpus: 1.5 });
    expect((await set('lendingHeadroom: {cpus: 1}')).errors![0]!.message)
      .toBe('quota.lendingHeadroom: applies only to a cohort member (cohort is null: the tenant lends nothing); set cohort or omit lendingHeadroom');
    expect((await set('cohort: "research", lendingHeadroom: {gpus: 3}')).errors![0]!.message)
      .toBe('quota.lendingHeadroom.gpus: 3 exceeds the nominal gpus (2): headroom is nominal quota kept unlent, at most 2');
    expect((await set('cohort: "research", lendingHeadroom: {cpus: -1}')).errors![0]!.message)
      .toBe('quota.lendingHeadroom.cpus: must be a number >= 0 (or null for no headroom), got -1');
    // All zeros is no headroom.
    expect((await set('cohort: "research", lendingHeadroom: {cpus: 0}')).data!.setTenantQuota.lendingHeadroom).toBeNull();
  });

  it('records a storage quota in bytes (platform admins only), carries it in the event, refuses invalid ones', async () => {
    const set = (claims: Parameters<typeof signedRequest>[2], bytes: unknown) =>
      q(claims, `mutation($b: Float) { setTenantQuota(tenant: "beta", quota: {cpus: 4, gpus: 0, memoryMb: 1024, concurrentTrials: 4, storageBytes: $b}, reason: "artifacts") { version storageBytes } }`, { b: bytes });
    const ok = await set(root, 5_000_000_000);
    expect(ok.data!.setTenantQuota.storageBytes).toBe(5_000_000_000);
    const [event] = await svc.orm.em.getConnection().execute<{ payload: Record<string, unknown> }[]>(
      `SELECT payload FROM tenancy.outbox_event WHERE tenant = 'beta' ORDER BY id DESC LIMIT 1`,
    );
    expect(event!.payload).toMatchObject({ version: ok.data!.setTenantQuota.version, storageBytes: 5_000_000_000, reason: 'artifacts' });
    expect((await set(root, 1.5)).errors![0]!.message).toBe(`quota.storageBytes: must be an integer number of bytes >= 0 and <= ${Number.MAX_SAFE_INTEGER} (or null for no limit), got 1.5`);
    expect((await set(root, -1)).errors![0]!.extensions!.code).toBe('INVALID_INPUT');
    expect((await set(claimsFor.member('beta', 'tenant-admin'), 1)).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect((await set(root, null)).data!.setTenantQuota.storageBytes).toBeNull();
    await expect(svc.orm.em.getConnection().execute(`UPDATE tenancy.quota_version SET storage_bytes = 1 WHERE tenant = 'beta'`)).rejects.toThrow();
  });

  it('publishes quota changes to its outbox in the same transaction', async () => {
    const rows = await svc.orm.em.getConnection().execute<{ payload: { version: number } }[]>(`SELECT topic, tenant, payload FROM tenancy.outbox_event WHERE tenant = 'alpha' ORDER BY id`);
    expect(rows.map((r) => r.payload.version)).toEqual([1, 2]);
  });

  it('lets tenant admins manage projects and members, not plain members', async () => {
    const admin = claimsFor.member('alpha', 'tenant-admin');
    const p = await q(admin, `mutation { createProject(tenant: "alpha", slug: "vision", name: "Vision") { slug tenantSlug } }`);
    expect(p.data!.createProject).toEqual({ slug: 'vision', tenantSlug: 'alpha' });
    const m = await q(claimsFor.member('alpha', 'member'), `mutation { addMember(tenant: "alpha", subject: "eve", role: "tenant-admin") { role } }`);
    expect(m.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const other = await q(admin, `mutation { createProject(tenant: "beta", slug: "x", name: "X") { slug } }`);
    expect(other.errors![0]!.extensions!.code).toBe('NOT_FOUND');
  });
});
