import { createTestDatabase, claimsFor, signedRequest, TEST_SECRET, type TestDatabase } from '@fairsweep/service-kit/testing';
import type { RunningService } from '@fairsweep/service-kit';
import { startTenancy } from './index.js';
import { tenantHardLimit } from './modules/quota/project-quota.rules.js';
import { validateQuota } from './modules/quota/quota.rules.js';

describe('project quotas (tenancy)', () => {
  let db: TestDatabase;
  let svc: RunningService;
  const root = claimsFor.platformAdmin();
  const admin = claimsFor.member('acme', 'tenant-admin');
  const q = <T = Record<string, any>>(claims: Parameters<typeof signedRequest>[2], query: string, variables?: Record<string, unknown>) =>
    signedRequest<T>(svc.url, TEST_SECRET, claims, query, variables);
  const setLimits = (claims: Parameters<typeof signedRequest>[2], quota: Record<string, unknown>, tenant = 'acme', project = 'vision') =>
    q(claims, `mutation($t: String!, $p: String!, $q: ProjectQuotaInput!) { setProjectQuota(tenant: $t, project: $p, quota: $q, reason: "split the gpus") {
        tenant project version cpus gpus memoryMb concurrentTrials changedBy reason } }`, { t: tenant, p: project, q: quota });
  const sql = <T>(query: string) => svc.orm.em.getConnection().execute<T[]>(query);

  beforeAll(async () => {
    db = await createTestDatabase();
    svc = await startTenancy({ databaseUrl: db.url, host: '127.0.0.1', port: 0, upstreamSecret: TEST_SECRET });
    for (const slug of ['acme', 'other']) {
      const r = await q(root, `mutation($i: CreateTenantInput!) { createTenant(input: $i) { slug } }`, {
        i: { slug, name: slug, quota: { cpus: 16, gpus: 4, memoryMb: 65536, concurrentTrials: 8 }, admin: `tenant-admin@${slug}` },
      });
      expect(r.errors).toBeUndefined();
      expect((await q(root, `mutation { createProject(tenant: "${slug}", slug: "vision", name: "Vision") { slug } }`)).errors).toBeUndefined();
    }
  });
  afterAll(async () => {
    await svc?.close();
    await db?.drop();
  });

  it('lets a tenant admin set project limits within the tenant quota as versions with who and why, published as an event', async () => {
    const v1 = await setLimits(admin, { gpus: 1, concurrentTrials: 4 });
    expect(v1.data!.setProjectQuota).toEqual({
      tenant: 'acme', project: 'vision', version: 1, cpus: null, gpus: 1, memoryMb: null, concurrentTrials: 4, changedBy: 'tenant-admin@acme', reason: 'split the gpus',
    });
    expect((await setLimits(admin, { gpus: 4, cpus: 16 })).data!.setProjectQuota).toMatchObject({ version: 2, gpus: 4, cpus: 16, concurrentTrials: null });
    const [event] = await sql<{ topic: string; payload: Record<string, unknown> }>(`SELECT topic, payload FROM tenancy.outbox_event WHERE topic = 'project.quota.changed' ORDER BY id DESC LIMIT 1`);
    expect(event).toEqual({
      topic: 'project.quota.changed',
      payload: {
        tenant: 'acme', project: 'vision', version: 2, cpus: 16, gpus: 4, memoryMb: null, concurrentTrials: null,
        gpuHoursBudget: null, budgetPeriod: 'month', budgetHalfLifeHours: null, budgetSafeMode: true, changedBy: 'tenant-admin@acme', reason: 'split the gpus',
      },
    });
    // Members of the tenant read the current limits and the history; other tenants see nothing.
    const read = await q(claimsFor.member('acme', 'viewer'), '{ tenant(slug: "acme") { projects { slug quota { version gpus } quotaHistory { version changedBy } } } }');
    expect(read.data!.tenant.projects).toEqual([{ slug: 'vision', quota: { version: 2, gpus: 4 }, quotaHistory: [{ version: 2, changedBy: 'tenant-admin@acme' }, { version: 1, changedBy: 'tenant-admin@acme' }] }]);
    expect((await q(claimsFor.member('other'), '{ tenant(slug: "acme") { slug } }')).data!.tenant).toBeNull();
    const fresh = await q(root, '{ tenant(slug: "other") { projects { quota { version } quotaHistory { version } } } }');
    expect(fresh.data!.tenant.projects).toEqual([{ quota: null, quotaHistory: [] }]);
    await expect(sql(`UPDATE tenancy.project_quota_version SET gpus = 9`)).rejects.toThrow(/immutable/);
  });

  it("refuses a tenant admin a limit above the tenant's own; platform admins may set any", async () => {
    const over = await setLimits(admin, { gpus: 5 });
    expect(over.errors![0]!.extensions!.code).toBe('INVALID_INPUT');
    expect(over.errors![0]!.message).toBe("quota.gpus: tenant admins may set at most tenant acme's own limit, 4 (quota v1); got 5 (platform admins may set more)");
    expect((await setLimits(root, { gpus: 5 })).data!.setProjectQuota).toMatchObject({ gpus: 5, changedBy: 'root' });
  });

  it('refuses other callers, unknown projects and invalid numbers with what is wrong', async () => {
    expect((await setLimits(claimsFor.member('acme', 'member'), { gpus: 1 })).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect((await setLimits(claimsFor.member('other', 'tenant-admin'), { gpus: 1 })).errors![0]!.extensions!.code).toBe('NOT_FOUND');
    const missing = await setLimits(admin, { gpus: 1 }, 'acme', 'nlp');
    expect(missing.errors![0]!.message).toBe('project "acme/nlp" not found');
    expect((await setLimits(admin, { cpus: -1 })).errors![0]!.message).toBe('quota.cpus: must be a number >= 0 (or null for no project limit), got -1');
    const [{ n }] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM tenancy.project_quota_version WHERE tenant = 'acme'`);
    expect(n).toBe(3); // the refused changes wrote nothing
  });

  it('resolves Project entities by id, only in tenants the caller sees, trusting no other field of the representation', async () => {
    const [{ id }] = await sql<{ id: string }>(`SELECT id FROM tenancy.project WHERE tenant = 'acme' AND slug = 'vision'`);
    const ask = (claims: Parameters<typeof signedRequest>[2], tenantSlug: string) =>
      q(claims, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Project { id tenantSlug slug quota { version } } } }`, {
        r: [{ __typename: 'Project', id, tenantSlug, slug: 'vision' }, { __typename: 'Project', id: 'not-a-uuid', tenantSlug, slug: 'vision' }],
      });
    expect((await ask(claimsFor.member('acme', 'viewer'), 'acme')).data!._entities).toEqual([{ id, tenantSlug: 'acme', slug: 'vision', quota: { version: 3 } }, null]);
    // A member of another tenant naming its own tenant in the representation learns nothing of acme's project.
    expect((await ask(claimsFor.member('other', 'viewer'), 'other')).data!._entities).toEqual([null, null]);
  });

  it('versions a project GPU-hour budget (period, safe mode) with the limits, carries it in the event, and may exceed the tenant budget', async () => {
    const budget = (claims: Parameters<typeof signedRequest>[2], quota: Record<string, unknown>) =>
      q(claims, `mutation($q: ProjectQuotaInput!) { setProjectQuota(tenant: "other", project: "vision", quota: $q, reason: "gpu month") {
          version gpus gpuHoursBudget budgetPeriod budgetSafeMode changedBy } }`, { q: quota });
    const tenantBudget = await q(root, `mutation { setTenantQuota(tenant: "other", quota: {cpus: 16, gpus: 4, memoryMb: 65536, concurrentTrials: 8, gpuHoursBudget: 10}) { version gpuHoursBudget } }`);
    expect(tenantBudget.data!.setTenantQuota).toEqual({ version: 2, gpuHoursBudget: 10 });
    const otherAdmin = claimsFor.member('other', 'tenant-admin');
    // 50 > the tenant's 10 GPU-hours: allowed (the tenant budget still applies at admission).
    const v1 = await budget(otherAdmin, { gpus: 2, gpuHoursBudget: 50, budgetPeriod: 'week', budgetSafeMode: false });
    expect(v1.errors).toBeUndefined();
    expect(v1.data!.setProjectQuota).toEqual({ version: 1, gpus: 2, gpuHoursBudget: 50, budgetPeriod: 'week', budgetSafeMode: false, changedBy: 'tenant-admin@other' });
    const [event] = await sql<{ payload: Record<string, unknown> }>(`SELECT payload FROM tenancy.outbox_event WHERE topic = 'project.quota.changed' AND tenant = 'other' ORDER BY id DESC LIMIT 1`);
    expect(event!.payload).toMatchObject({ tenant: 'other', project: 'vision', version: 1, gpus: 2, gpuHoursBudget: 50, budgetPeriod: 'week', budgetSafeMode: false, reason: 'gpu month' });
    // Each version is complete: omitted budget fields take their defaults (no budget, month, safe mode).
    expect((await budget(otherAdmin, { gpus: 2 })).data!.setProjectQuota).toMatchObject({ version: 2, gpuHoursBudget: null, budgetPeriod: 'month', budgetSafeMode: true });
    const decay = await q(root, `mutation { setProjectQuota(tenant: "other", project: "vision", quota: { gpuHoursBudget: 5, budgetPeriod: "decay", budgetHalfLifeHours: 12 }) {
        version budgetPeriod budgetHalfLifeHours } }`);
    expect(decay.data!.setProjectQuota).toEqual({ version: 3, budgetPeriod: 'decay', budgetHalfLifeHours: 12 });
    const [decayEvent] = await sql<{ payload: Record<string, unknown> }>(`SELECT payload FROM tenancy.outbox_event WHERE topic = 'project.quota.changed' AND tenant = 'other' ORDER BY id DESC LIMIT 1`);
    expect(decayEvent!.payload).toMatchObject({ version: 3, budgetPeriod: 'decay', budgetHalfLifeHours: 12 });
    const noDecay = await budget(root, { gpuHoursBudget: 5, budgetHalfLifeHours: 12 });
    expect(noDecay.errors![0]!.message).toBe('quota.budgetHalfLifeHours: applies only when budgetPeriod is "decay" (budgetPeriod is "month"); omit it or set budgetPeriod: "decay"');
    expect((await budget(root, { gpuHoursBudget: 0.5, budgetPeriod: 'day' })).data!.setProjectQuota).toMatchObject({ version: 4, gpus: null, gpuHoursBudget: 0.5, budgetPeriod: 'day', budgetSafeMode: true });
    const read = await q(claimsFor.member('other', 'viewer'), '{ tenant(slug: "other") { projects { quota { version gpuHoursBudget budgetPeriod } quotaHistory { version gpuHoursBudget budgetPeriod budgetSafeMode } } } }');
    expect(read.data!.tenant.projects).toEqual([{
      quota: { version: 4, gpuHoursBudget: 0.5, budgetPeriod: 'day' },
      quotaHistory: [
        { version: 4, gpuHoursBudget: 0.5, budgetPeriod: 'day', budgetSafeMode: true },
        { version: 3, gpuHoursBudget: 5, budgetPeriod: 'decay', budgetSafeMode: true },
        { version: 2, gpuHoursBudget: null, budgetPeriod: 'month', budgetSafeMode: true },
        { version: 1, gpuHoursBudget: 50, budgetPeriod: 'week', budgetSafeMode: false },
      ],
    }]);
    await expect(sql(`UPDATE tenancy.project_quota_version SET gpu_hours_budget = 1 WHERE tenant = 'other'`)).rejects.toThrow(/immutable/);
  });

  it('refuses an invalid project budget naming the field, the value and what is allowed, and writes nothing', async () => {
    const otherAdmin = claimsFor.member('other', 'tenant-admin');
    const neg = await setLimits(otherAdmin, { gpuHoursBudget: -2 }, 'other');
    expect(neg.errors![0]).toMatchObject({ message: 'quota.gpuHoursBudget: must be a number >= 0 (or null for no budget), got -2', extensions: { code: 'INVALID_INPUT' } });
    const period = await setLimits(otherAdmin, { gpuHoursBudget: 5, budgetPeriod: 'year' }, 'other');
    expect(period.errors![0]).toMatchObject({ message: 'quota.budgetPeriod: "year" is not one of day, week, month, decay', extensions: { code: 'INVALID_INPUT' } });
    const [{ n }] = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM tenancy.project_quota_version WHERE tenant = 'other'`);
    expect(n).toBe(4);
    // The database refuses what validation would: a negative budget or an unknown period.
    await expect(sql(`INSERT INTO tenancy.project_quota_version (tenant, project, version, gpu_hours_budget, changed_by) VALUES ('other', 'vision', 9, -1, 'x')`)).rejects.toThrow(/check constraint/);
    await expect(sql(`INSERT INTO tenancy.project_quota_version (tenant, project, version, budget_period, changed_by) VALUES ('other', 'vision', 9, 'year', 'x')`)).rejects.toThrow(/check constraint/);
    await expect(sql(`INSERT INTO tenancy.project_quota_version (tenant, project, version, budget_period, changed_by) VALUES ('other', 'vision', 9, 'decay', 'x')`)).rejects.toThrow(/check constraint/);
  });

  it("counts a cohort's borrowing limit in the tenant's own limit (none: unbounded)", () => {
    const base = { cpus: 8, gpus: 2, memoryMb: 1024, concurrentTrials: 4 };
    expect(tenantHardLimit(validateQuota(base))).toEqual({ cpus: 8, gpus: 2, memoryMb: 1024, concurrentTrials: 4 });
    expect(tenantHardLimit(validateQuota({ ...base, cohort: 'lab', borrowingLimit: { gpus: 2 } }))).toEqual({ cpus: Infinity, gpus: 4, memoryMb: Infinity, concurrentTrials: 4 });
  });
});
