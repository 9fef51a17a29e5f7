import { createTestDatabase, claimsFor, signedRequest, TEST_SECRET, type TestDatabase } from '@fairsweep/service-kit/testing';
import type { RunningService } from '@fairsweep/service-kit';
import { startTenancy } from './index.js';

// Every DateTimeISO field of the tenancy schema, by field name.
const DATE_KEYS = new Set(['createdAt', 'changedAt', 'addedAt']);
const PROJECT = 'createdAt quota { changedAt } quotaHistory { changedAt }';
const TENANT = `createdAt quota { changedAt } quotaHistory { changedAt } projects { ${PROJECT} } members { addedAt }`;
const COHORT = 'policy { changedAt } history { changedAt }';

/** [path without list indices, value] of every date field in a response. */
function stamps(value: unknown, path = ''): [string, unknown][] {
  if (Array.isArray(value)) return value.flatMap((v) => stamps(v, path));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]): [string, unknown][] => (DATE_KEYS.has(k) ? [[`${path}${k}`, v]] : stamps(v, `${path}${k}.`)));
}

const iso = (v: unknown) => typeof v === 'string' && new Date(v).toISOString() === v;

/** The response has no errors, and every date in it is a non-null ISO string that round-trips. */
function expectIsoDates(res: { errors?: unknown; data?: unknown }, minimum: number): void {
  expect(res.errors).toBeUndefined();
  const all = stamps(res.data);
  expect(all.filter(([, v]) => !iso(v))).toEqual([]);
  expect(all.length).toBeGreaterThanOrEqual(minimum);
}

/**
 * Regression: every DateTimeISO field reachable through the tenancy API (queries, mutation
 * results, `_entities`) is served as an ISO string, whichever way its value is read — a raw row's
 * timestamp is a string the scalar refuses (INTERNAL_SERVER_ERROR).
 */
describe('tenancy serves every timestamp as an ISO date (real PostgreSQL)', () => {
  let db: TestDatabase;
  let svc: RunningService;
  type Claims = Parameters<typeof signedRequest>[2];
  const root = claimsFor.platformAdmin();
  const admin = claimsFor.member('acme', 'tenant-admin');
  const q = <T = Record<string, any>>(claims: Claims, query: string, variables?: Record<string, unknown>) =>
    signedRequest<T>(svc.url, TEST_SECRET, claims, query, variables);
  const quota = { cpus: 8, gpus: 2, memoryMb: 8192, concurrentTrials: 4, cohort: 'lab' };
  let projectId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    svc = await startTenancy({ databaseUrl: db.url, host: '127.0.0.1', port: 0, upstreamSecret: TEST_SECRET });
  });
  afterAll(async () => {
    await svc?.close();
    await db?.drop();
  });

  it('the results of its mutations', async () => {
    expectIsoDates(await q(root, `mutation($i: CreateTenantInput!) { createTenant(input: $i, reason: "test") { ${TENANT} } }`, {
      i: { slug: 'acme', name: 'Acme', quota, admin: 'tenant-admin@acme' },
    }), 4);
    expectIsoDates(await q(root, 'mutation($q: QuotaInput!) { setTenantQuota(tenant: "acme", quota: $q, reason: "more") { changedAt } }', { q: { ...quota, gpus: 3 } }), 1);
    const project = await q(admin, `mutation { createProject(tenant: "acme", slug: "vision", name: "Vision") { id ${PROJECT} } }`);
    expectIsoDates(project, 1);
    projectId = project.data!.createProject.id;
    expectIsoDates(await q(admin, 'mutation { addMember(tenant: "acme", subject: "bob", role: "member") { addedAt } }'), 1);
    expectIsoDates(await q(admin, 'mutation { addMember(tenant: "acme", subject: "bob", role: "viewer") { addedAt } }'), 1); // an existing member's role changes
    expectIsoDates(await q(admin, 'mutation { setProjectQuota(tenant: "acme", project: "vision", quota: { gpus: 1 }, reason: "split") { changedAt } }'), 1);
    expectIsoDates(await q(root, 'mutation { setCohortPolicy(cohort: "lab", policy: { lendingHeadroom: { cpus: 1 } }, reason: "room") { changedAt } }'), 1);
  });

  it('tenants, tenant, cohorts and cohort, with quotas, projects, project quotas, members and cohort policies', async () => {
    // tenant: createdAt, 2 quota versions (quota + history), project createdAt, its quota and history, 2 members
    for (const claims of [root, admin]) {
      expectIsoDates(await q(claims, `{
        tenants { ${TENANT} }
        tenant(slug: "acme") { ${TENANT} }
        cohorts { ${COHORT} }
        cohort(name: "lab") { ${COHORT} }
      }`), 2 * 9 + 2 * 2);
    }
  });

  it('_entities: Tenant, Project and Cohort', async () => {
    expectIsoDates(await q(admin, `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Tenant { ${TENANT} }
      ... on Project { ${PROJECT} }
      ... on Cohort { ${COHORT} }
    } }`, { r: [{ __typename: 'Tenant', slug: 'acme' }, { __typename: 'Project', id: projectId }, { __typename: 'Cohort', name: 'lab' }] }), 9 + 3 + 2);
  });
});
