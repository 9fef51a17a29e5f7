import { createTestDatabase, claimsFor, signedRequest, TEST_SECRET, type TestDatabase } from '@fairsweep/service-kit/testing';
import type { RunningService } from '@fairsweep/service-kit';
import { startTenancy } from './index.js';

describe('cohort policies (tenancy)', () => {
  let db: TestDatabase;
  let svc: RunningService;
  type Claims = Parameters<typeof signedRequest>[2];
  const root = claimsFor.platformAdmin();
  const q = <T = Record<string, any>>(claims: Claims, query: string, variables?: Record<string, unknown>) =>
    signedRequest<T>(svc.url, TEST_SECRET, claims, query, variables);
  const POLICY = 'cohort version lendingHeadroom { cpus gpus memoryMb } changedBy reason';
  const setPolicy = (claims: Claims, cohort: string, policy: Record<string, unknown>, reason: string | null = 'keep room for steady tenants') =>
    q(claims, `mutation($c: String!, $p: CohortPolicyInput!, $r: String) { setCohortPolicy(cohort: $c, policy: $p, reason: $r) { ${POLICY} changedAt } }`, { c: cohort, p: policy, r: reason });
  const COHORT = `name members policy { version lendingHeadroom { cpus gpus memoryMb } } history { version changedBy reason }`;
  const sql = <T>(query: string) => svc.orm.em.getConnection().execute<T[]>(query);
  const count = async (where: string) => (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM tenancy.cohort_policy_version WHERE ${where}`))[0]!.n;
  const quota = (cohort: string | null) => ({ cpus: 16, gpus: 4, memoryMb: 65536, concurrentTrials: 8, cohort });

  beforeAll(async () => {
    db = await createTestDatabase();
    svc = await startTenancy({ databaseUrl: db.url, host: '127.0.0.1', port: 0, upstreamSecret: TEST_SECRET });
    // acme and beta are in lab; solo is in no cohort; moved was in lab (v1) and is now in far (v2).
    for (const [slug, cohort] of [['acme', 'lab'], ['beta', 'lab'], ['solo', null], ['moved', 'lab']] as const) {
      const r = await q(root, `mutation($i: CreateTenantInput!) { createTenant(input: $i) { slug } }`, {
        i: { slug, name: slug, quota: quota(cohort), admin: `tenant-admin@${slug}` },
      });
      expect(r.errors).toBeUndefined();
    }
    const moved = await q(root, `mutation($q: QuotaInput!) { setTenantQuota(tenant: "moved", quota: $q) { version cohort } }`, { q: quota('far') });
    expect(moved.data!.setTenantQuota).toEqual({ version: 2, cohort: 'far' });
  });
  afterAll(async () => {
    await svc?.close();
    await db?.drop();
  });

  it('lets a platform admin set consecutive versions with who and why, published platform-wide', async () => {
    const v1 = await setPolicy(root, 'lab', { lendingHeadroom: { cpus: 3 } });
    expect(v1.errors).toBeUndefined();
    expect(v1.data!.setCohortPolicy).toMatchObject({
      cohort: 'lab', version: 1, lendingHeadroom: { cpus: 3, gpus: null, memoryMb: null }, changedBy: 'root', reason: 'keep room for steady tenants',
    });
    expect(Number.isNaN(Date.parse(v1.data!.setCohortPolicy.changedAt))).toBe(false);
    const v2 = await setPolicy(root, 'lab', { lendingHeadroom: { cpus: 2.5, gpus: 1 } }, 'bench: 2.5 CPUs suffice');
    expect(v2.data!.setCohortPolicy).toMatchObject({ cohort: 'lab', version: 2, lendingHeadroom: { cpus: 2.5, gpus: 1, memoryMb: null }, reason: 'bench: 2.5 CPUs suffice' });
    const [event] = await sql<Record<string, unknown>>(
      `SELECT topic, aggregate_id, tenant, payload FROM tenancy.outbox_event WHERE topic = 'cohort.policy.changed' ORDER BY id DESC LIMIT 1`,
    );
    expect(event).toEqual({
      topic: 'cohort.policy.changed', aggregate_id: 'lab', tenant: '',
      payload: { cohort: 'lab', version: 2, lendingHeadroom: { cpus: 2.5, gpus: 1 }, changedBy: 'root', reason: 'bench: 2.5 CPUs suffice' },
    });
    // A version is complete: no headroom (omitted, or all zeros) is none, published as null.
    const v3 = await setPolicy(root, 'lab', { lendingHeadroom: { cpus: 0 } }, null);
    expect(v3.data!.setCohortPolicy).toMatchObject({ version: 3, lendingHeadroom: null, reason: null });
    const [none] = await sql<{ payload: Record<string, unknown> }>(`SELECT payload FROM tenancy.outbox_event WHERE topic = 'cohort.policy.changed' ORDER BY id DESC LIMIT 1`);
    expect(none!.payload).toEqual({ cohort: 'lab', version: 3, lendingHeadroom: null, changedBy: 'root', reason: null });
    const v4 = await setPolicy(root, 'lab', { lendingHeadroom: { cpus: 3 } }, 'back to 3');
    expect(v4.data!.setCohortPolicy).toMatchObject({ version: 4, lendingHeadroom: { cpus: 3 } });

    const read = await q(root, `{ cohort(name: "lab") { ${COHORT} } }`);
    expect(read.data!.cohort).toEqual({
      name: 'lab', members: ['acme', 'beta'], policy: { version: 4, lendingHeadroom: { cpus: 3, gpus: null, memoryMb: null } },
      history: [
        { version: 4, changedBy: 'root', reason: 'back to 3' },
        { version: 3, changedBy: 'root', reason: null },
        { version: 2, changedBy: 'root', reason: 'bench: 2.5 CPUs suffice' },
        { version: 1, changedBy: 'root', reason: 'keep room for steady tenants' },
      ],
    });
  });

  it('refuses everyone but platform admins, and writes nothing', async () => {
    for (const claims of [claimsFor.member('acme', 'tenant-admin'), claimsFor.member('acme', 'member'), claimsFor.member('solo', 'tenant-admin')]) {
      const r = await setPolicy(claims, 'lab', { lendingHeadroom: { cpus: 1 } });
      expect(r.errors![0]).toMatchObject({ message: 'not allowed to change cohort policies: platform admins only', extensions: { code: 'FORBIDDEN' } });
    }
    expect(await count(`cohort = 'lab'`)).toBe(4);
  });

  it('shows members of a member tenant the cohort with only the members they see; others see nothing', async () => {
    const acme = claimsFor.member('acme', 'viewer');
    const one = await q(acme, `{ cohort(name: "lab") { name members policy { version } history { version } } }`);
    expect(one.data!.cohort).toEqual({ name: 'lab', members: ['acme'], policy: { version: 4 }, history: [4, 3, 2, 1].map((version) => ({ version })) });
    expect((await q(acme, '{ cohorts { name members } }')).data!.cohorts).toEqual([{ name: 'lab', members: ['acme'] }]);
    const both: Claims = { sub: 'both', roles: [], memberships: [{ tenant: 'acme', role: 'viewer' }, { tenant: 'beta', role: 'member' }] };
    expect((await q(both, '{ cohorts { name members } }')).data!.cohorts).toEqual([{ name: 'lab', members: ['acme', 'beta'] }]);
    // A tenant's current quota decides: moved named lab in v1 but names far now.
    const moved = claimsFor.member('moved', 'tenant-admin');
    expect((await q(moved, '{ cohorts { name members policy { version } } }')).data!.cohorts).toEqual([{ name: 'far', members: ['moved'], policy: null }]);
    expect((await q(moved, '{ cohort(name: "lab") { name } }')).data!.cohort).toBeNull();
    const solo = claimsFor.member('solo', 'tenant-admin');
    expect((await q(solo, '{ cohorts { name } }')).data!.cohorts).toEqual([]);
    expect((await q(solo, '{ cohort(name: "lab") { name } }')).data!.cohort).toBeNull();
    expect((await q(root, '{ cohort(name: "nowhere") { name } }')).data!.cohort).toBeNull();
  });

  it('lets a platform admin prepare a policy for a cohort no tenant names yet, visible to platform admins only', async () => {
    expect((await setPolicy(root, 'next-lab', { lendingHeadroom: { gpus: 2, memoryMb: 8192 } })).data!.setCohortPolicy).toMatchObject({ cohort: 'next-lab', version: 1 });
    expect((await q(root, '{ cohorts { name members policy { version lendingHeadroom { gpus memoryMb } } } }')).data!.cohorts).toEqual([
      { name: 'far', members: ['moved'], policy: null },
      { name: 'lab', members: ['acme', 'beta'], policy: { version: 4, lendingHeadroom: { gpus: null, memoryMb: null } } },
      { name: 'next-lab', members: [], policy: { version: 1, lendingHeadroom: { gpus: 2, memoryMb: 8192 } } },
    ]);
    expect((await q(claimsFor.member('acme'), '{ cohort(name: "next-lab") { name } }')).data!.cohort).toBeNull();
  });

  it('refuses an invalid headroom or cohort name, naming the field, and writes nothing', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['lab', { lendingHeadroom: { cpus: -1 } }, 'policy.lendingHeadroom.cpus: must be a number >= 0 (or null for no headroom), got -1'],
      ['lab', { lendingHeadroom: { gpus: -1 } }, 'policy.lendingHeadroom.gpus: must be an integer >= 0 (or null for no headroom), got -1'],
      ['Lab', { lendingHeadroom: { cpus: 1 } }, 'cohort: "Lab" is not a valid slug: use 2-40 lower-case letters, digits or dashes, starting with a letter'],
    ];
    for (const [cohort, policy, message] of cases) {
      const r = await setPolicy(root, cohort, policy);
      expect(r.errors![0]).toMatchObject({ message, extensions: { code: 'INVALID_INPUT' } });
    }
    // A fractional GPU count is refused already by GraphQL's Int.
    const fractional = await setPolicy(root, 'lab', { lendingHeadroom: { gpus: 0.5 } });
    expect(fractional.errors![0]!.message).toMatch(/lendingHeadroom.*gpus.*Int cannot represent non-integer value: 0\.5/);
    expect(await count(`cohort IN ('lab', 'Lab')`)).toBe(4);
  });

  it('keeps versions immutable', async () => {
    await expect(sql(`UPDATE tenancy.cohort_policy_version SET reason = 'rewritten' WHERE cohort = 'lab'`)).rejects.toThrow(/immutable/);
    await expect(sql(`DELETE FROM tenancy.cohort_policy_version WHERE cohort = 'lab'`)).rejects.toThrow(/immutable/);
    await expect(sql(`INSERT INTO tenancy.cohort_policy_version (cohort, version, changed_by) VALUES ('lab', 0, 'x')`)).rejects.toThrow(/check constraint/);
  });

  it('gives concurrent changes of one cohort consecutive versions', async () => {
    const results = await Promise.all([1, 2, 3, 4, 5].map((cpus) => setPolicy(root, 'burst', { lendingHeadroom: { cpus } }, `try ${cpus}`)));
    expect(results.map((r) => r.errors)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(results.map((r) => r.data!.setCohortPolicy.version).sort()).toEqual([1, 2, 3, 4, 5]);
    const events = await sql<{ version: number }>(`SELECT (payload->>'version')::int AS version FROM tenancy.outbox_event WHERE topic = 'cohort.policy.changed' AND aggregate_id = 'burst' ORDER BY id`);
    expect(events.map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
  });
});
