import { SIGNATURE_EXTENSION, verifyUpstream } from '@fairsweep/auth';
import { type RunningGateway, startGateway } from './gateway.server.js';
import { SERVICE_SDL_QUERY } from './subgraph-sdl.fetcher.js';
import {
  ALICE,
  experimentsSubgraph,
  gatewayConfig,
  postGraphQL,
  rsaKeys,
  SECRET,
  tenancySubgraph,
  tokenFor,
  wsCollect,
} from './testing-internal/fixtures.js';
import { startTestSubgraph, type TestSubgraph } from './testing-internal/test-subgraph.js';

const keys = rsaKeys();
const otherKeys = rsaKeys();
let tenancy: TestSubgraph;
let experiments: TestSubgraph;
let gateway: RunningGateway;

beforeAll(async () => {
  tenancy = await startTestSubgraph({ ...tenancySubgraph(), secret: SECRET });
  experiments = await startTestSubgraph({ ...experimentsSubgraph(), secret: SECRET });
  gateway = await startGateway(gatewayConfig(keys.publicKeyPem, [tenancy, experiments].map(({ name, url }) => ({ name, url }))));
});

afterAll(async () => {
  await gateway?.close();
  await tenancy?.close();
  await experiments?.close();
});

const CROSS = '{ tenants { slug name experimentCount viewedBy } whoami { sub tenants } experimentTotal }';

describe('queries through the gateway', () => {
  it('merges fields from both subgraphs and forwards the caller as signed claims', async () => {
    const res = await postGraphQL(gateway.url, CROSS, tokenFor(keys.privateKeyPem));
    expect(res.body.errors).toBeUndefined();
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      tenants: [
        { slug: 'acme', name: 'Acme Corp', experimentCount: 4, viewedBy: 'alice' },
        { slug: 'globex', name: 'Globex', experimentCount: 6, viewedBy: 'alice' },
      ],
      whoami: { sub: 'alice', tenants: ['acme'] },
      experimentTotal: 5,
    });
    const entityCall = experiments.received.find((r) => r.query?.includes('_entities'));
    expect(entityCall?.principal?.claims).toEqual(ALICE);
    expect(entityCall?.extensions?.[SIGNATURE_EXTENSION]).toMatchObject({ claims: ALICE });
  });

  it('signs exactly the query text the subgraph receives, and nothing but the claims', async () => {
    const before = tenancy.received.length;
    const before2 = experiments.received.length;
    const res = await postGraphQL(
      gateway.url,
      'query One($slug: String!) { tenant(slug: $slug) { name experimentCount } whoami { sub } }',
      tokenFor(keys.privateKeyPem),
      { slug: 'acme' },
    );
    expect(res.body).toEqual({ data: { tenant: { name: 'Acme Corp', experimentCount: 4 }, whoami: { sub: 'alice' } } });
    const got = [...tenancy.received.slice(before), ...experiments.received.slice(before2)];
    expect(got.map((r) => r.query)).toEqual([expect.stringContaining('tenant('), expect.stringContaining('_entities')]);
    expect(Object.values(got[0]?.variables ?? {})).toEqual(['acme']); // the gateway renames variables
    for (const r of got) {
      expect(r.rejected).toBeUndefined();
      // Re-verify independently against the raw text and variables the subgraph got.
      expect(verifyUpstream(SECRET, { query: r.query, variables: r.variables ?? {}, extensions: r.extensions }).subject).toBe('alice');
      expect(Object.keys(r.extensions ?? {})).toEqual([SIGNATURE_EXTENSION]);
    }
  });

  it('rejects data access without a token: 401 UNAUTHENTICATED', async () => {
    const res = await postGraphQL(gateway.url, '{ tenants { slug } }');
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.body.errors?.[0]?.message).toMatch(/Authentication required/);
  });

  it('allows introspection without a token', async () => {
    const res = await postGraphQL(gateway.url, '{ __schema { queryType { name } } __typename }');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ __schema: { queryType: { name: 'Query' } }, __typename: 'Query' });
  });

  it('rejects a token signed by another key: 401 with a clear message', async () => {
    const res = await postGraphQL(gateway.url, '{ whoami { sub } }', tokenFor(otherKeys.privateKeyPem));
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.body.errors?.[0]?.message).toMatch(/signature verification failed/);
  });

  it('rejects expired, malformed and badly-prefixed tokens with 401', async () => {
    const expired = await postGraphQL(gateway.url, '{ whoami { sub } }', tokenFor(keys.privateKeyPem, ALICE, -60));
    expect(expired.status).toBe(401);
    expect(expired.body.errors?.[0]?.message).toMatch(/expired/);
    const garbage = await postGraphQL(gateway.url, '{ whoami { sub } }', 'not-a-jwt');
    expect(garbage.status).toBe(401);
    expect(garbage.body.errors?.[0]?.message).toMatch(/not a JWT/);
    const res = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic abc` },
      body: JSON.stringify({ query: '{ whoami { sub } }' }),
    });
    expect(res.status).toBe(401);
  });

  it('keeps the subgraph error code and masks unexpected errors', async () => {
    const res = await postGraphQL(gateway.url, '{ forbidden crash }', tokenFor(keys.privateKeyPem));
    expect(res.status).toBe(200);
    const byPath = Object.fromEntries((res.body.errors ?? []).map((e) => [String((e as { path?: string[] }).path?.[0]), e]));
    expect(byPath.forbidden?.extensions?.code).toBe('FORBIDDEN');
    expect(byPath.forbidden?.message).toBe('not a member of this tenant');
    expect(byPath.crash).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
  });
});

describe('composition', () => {
  it('fetched every subgraph SDL with a signed system request', () => {
    for (const sg of [tenancy, experiments]) {
      const fetches = sg.received.filter((r) => r.query === SERVICE_SDL_QUERY);
      expect(fetches.length).toBeGreaterThan(0);
      expect(fetches[0]?.rejected).toBeUndefined();
      expect(fetches[0]?.principal?.system).toBe(true);
      expect(fetches[0]?.principal?.subject).toBe('system:composition');
    }
  });

  it('the subgraphs themselves refuse unsigned requests', async () => {
    const res = await postGraphQL(tenancy.url, SERVICE_SDL_QUERY);
    expect(res.status).toBe(401);
  });
});

describe('subscriptions over graphql-ws', () => {
  it('delivers events with fields from both subgraphs; the owning subgraph got signed claims over WS', async () => {
    const before = tenancy.received.length;
    const results = await wsCollect(
      gateway.url,
      'subscription { tenantChanged(slug: "acme", count: 3) { seq seenBy tenant { name experimentCount viewedBy } } }',
      { authorization: `Bearer ${tokenFor(keys.privateKeyPem)}` },
    );
    expect(results.map((r) => r.errors)).toEqual([undefined, undefined, undefined]);
    expect(results.map((r) => r.data)).toEqual(
      [1, 2, 3].map((seq) => ({
        tenantChanged: { seq, seenBy: 'alice', tenant: { name: 'Acme Corp', experimentCount: 4, viewedBy: 'alice' } },
      })),
    );
    const wsCall = tenancy.received.slice(before).find((r) => r.transport === 'ws');
    expect(wsCall?.rejected).toBeUndefined();
    expect(wsCall?.principal?.claims).toEqual(ALICE);
  });

  it('refuses a subscription without a token', async () => {
    const results = await wsCollect(gateway.url, 'subscription { tenantChanged(slug: "acme") { seq } }');
    expect(results).toEqual([{ errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })] }]);
    expect(results[0]?.errors?.[0]?.message).toMatch(/Authentication required/);
  });

  it('refuses a subscription with a bad token', async () => {
    const results = await wsCollect(gateway.url, 'subscription { tenantChanged(slug: "acme") { seq } }', {
      authorization: `Bearer ${tokenFor(otherKeys.privateKeyPem)}`,
    });
    expect(results).toEqual([{ errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })] }]);
    expect(results[0]?.errors?.[0]?.message).toMatch(/signature verification failed/);
  });

  it('accepts the token GraphiQL sends in extensions.headers, and never forwards it', async () => {
    const before = tenancy.received.length;
    const results = await wsCollect(gateway.url, 'subscription { tenantChanged(slug: "globex", count: 1) { seenBy tenant { name } } }', {}, {
      headers: { Authorization: `Bearer ${tokenFor(keys.privateKeyPem)}` },
    });
    expect(results).toEqual([{ data: { tenantChanged: { seenBy: 'alice', tenant: { name: 'Globex' } } } }]);
    for (const r of tenancy.received.slice(before)) expect(Object.keys(r.extensions ?? {})).toEqual([SIGNATURE_EXTENSION]);
  });

  it('runs queries over graphql-ws with the same identity', async () => {
    const results = await wsCollect(gateway.url, '{ whoami { sub } }', { authorization: `Bearer ${tokenFor(keys.privateKeyPem)}` });
    expect(results).toEqual([{ data: { whoami: { sub: 'alice' } } }]);
  });
});
