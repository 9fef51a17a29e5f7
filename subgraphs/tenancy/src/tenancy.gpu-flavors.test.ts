import { createTestDatabase, claimsFor, signedRequest, TEST_SECRET, type TestDatabase } from '@fairsweep/service-kit/testing';
import type { RunningService } from '@fairsweep/service-kit';
import { startTenancy } from './index.js';

/** Per-flavor GPU caps as part of the versioned quota policy, through GraphQL, the table and the event. */
describe('tenancy: quota gpuFlavors', () => {
  let db: TestDatabase;
  let svc: RunningService;
  const root = claimsFor.platformAdmin();
  const q = <T = Record<string, any>>(query: string, variables?: Record<string, unknown>) => signedRequest<T>(svc.url, TEST_SECRET, root, query, variables);
  const setQuota = (gpuFlavors: unknown) =>
    q(`mutation($f: [GpuFlavorQuotaInput!]) { setTenantQuota(tenant: "acme", quota: {cpus: 8, gpus: 4, memoryMb: 4096, concurrentTrials: 4, gpuFlavors: $f}, reason: "flavors") { version gpuFlavors { flavor gpus } } }`, { f: gpuFlavors });
  const lastEvent = async () => (await svc.orm.em.getConnection().execute<{ payload: Record<string, unknown> }[]>(
    `SELECT payload FROM tenancy.outbox_event WHERE tenant = 'acme' ORDER BY id DESC LIMIT 1`))[0]!.payload;

  beforeAll(async () => {
    db = await createTestDatabase();
    svc = await startTenancy({ databaseUrl: db.url, host: '127.0.0.1', port: 0, upstreamSecret: TEST_SECRET });
    const created = await q(`mutation { createTenant(input: { slug: "acme", name: "Acme", quota: { cpus: 4, gpus: 1, memoryMb: 4096, concurrentTrials: 3 } }, reason: "test") { slug } }`);
    expect(created.errors).toBeUndefined();
  });
  afterAll(async () => {
    await svc?.close();
    await db?.drop();
  });

  it('records the caps in a new policy version, shows them, and carries them in the quota event', async () => {
    const res = await setQuota([{ flavor: 'h100', gpus: 2 }, { flavor: 'a100-80gb', gpus: 4 }]);
    expect(res.errors).toBeUndefined();
    expect(res.data!.setTenantQuota).toEqual({ version: 2, gpuFlavors: [{ flavor: 'h100', gpus: 2 }, { flavor: 'a100-80gb', gpus: 4 }] });
    expect(await lastEvent()).toMatchObject({ version: 2, gpus: 4, gpuFlavors: [{ flavor: 'h100', gpus: 2 }, { flavor: 'a100-80gb', gpus: 4 }], reason: 'flavors' });
    const history = await q('{ tenant(slug: "acme") { quotaHistory { version gpuFlavors { flavor gpus } } } }');
    expect(history.errors).toBeUndefined();
    expect(JSON.stringify(history.data)).toContain('"gpuFlavors":[{"flavor":"h100","gpus":2}');

    // An empty list is no caps: stored and published as null.
    const none = await setQuota([]);
    expect(none.data!.setTenantQuota).toEqual({ version: 3, gpuFlavors: null });
    expect((await lastEvent()).gpuFlavors).toBeNull();
    await expect(svc.orm.em.getConnection().execute(`UPDATE tenancy.quota_version SET gpu_flavors = '[]' WHERE tenant = 'acme'`)).rejects.toThrow();
  });

  it('records per-flavor borrowing and lending limits for a cohort member, and refuses them for a tenant without one', async () => {
    const set = (cohort: string | null, f: unknown) => q(
      `mutation($f: [GpuFlavorQuotaInput!], $c: String) { setTenantQuota(tenant: "acme", quota: {cpus: 8, gpus: 4, memoryMb: 4096, concurrentTrials: 4, cohort: $c, gpuFlavors: $f}, reason: "lend h100") { version gpuFlavors { flavor gpus borrowingLimit lendingLimit } } }`,
      { f, c: cohort },
    );
    const refused = await set(null, [{ flavor: 'h100', gpus: 2, borrowingLimit: 2 }]);
    expect(refused.errors![0]!.message).toBe('quota.gpuFlavors[0].borrowingLimit: applies only to a cohort member (cohort is null: the tenant neither borrows nor lends); set cohort or omit borrowingLimit');
    const res = await set('lab', [{ flavor: 'h100', gpus: 2, borrowingLimit: 2, lendingLimit: 1 }, { flavor: 'l4', gpus: 1 }]);
    expect(res.errors).toBeUndefined();
    const v = res.data!.setTenantQuota.version;
    expect(res.data!.setTenantQuota.gpuFlavors).toEqual([
      { flavor: 'h100', gpus: 2, borrowingLimit: 2, lendingLimit: 1 }, { flavor: 'l4', gpus: 1, borrowingLimit: null, lendingLimit: null },
    ]);
    expect(await lastEvent()).toMatchObject({ version: v, cohort: 'lab', gpuFlavors: [{ flavor: 'h100', gpus: 2, borrowingLimit: 2, lendingLimit: 1 }, { flavor: 'l4', gpus: 1 }] });
  });

  it('refuses invalid caps with an error naming the entry, and writes no version', async () => {
    const dup = await setQuota([{ flavor: 'h100', gpus: 1 }, { flavor: 'h100', gpus: 2 }]);
    expect(dup.errors![0]!.message).toBe('quota.gpuFlavors[1].flavor: "h100" is listed twice (also at quota.gpuFlavors[0]); list each flavor once');
    expect(dup.errors![0]!.extensions!.code).toBe('INVALID_INPUT');
    const bad = await setQuota([{ flavor: 'A100', gpus: 1 }]);
    expect(bad.errors![0]!.message).toMatch(/^quota\.gpuFlavors\[0\]\.flavor: "A100" is not a GPU flavor/);
    const [{ v }] = (await svc.orm.em.getConnection().execute<{ v: number }[]>(`SELECT max(version) AS v FROM tenancy.quota_version WHERE tenant = 'acme'`)) as [{ v: number }];
    expect(v).toBe(4);
  });
});
