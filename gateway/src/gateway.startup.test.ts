import { createServer } from 'node:net';
import { startGateway } from './gateway.server.js';
import { CompositionError } from './supergraph.composer.js';
import {
  experimentsSubgraph,
  gatewayConfig,
  postGraphQL,
  quietLogger,
  rsaKeys,
  SECRET,
  tenancySubgraph,
  tokenFor,
} from './testing-internal/fixtures.js';
import { freePort, startTestSubgraph, type TestSubgraph } from './testing-internal/test-subgraph.js';

const keys = rsaKeys();
const started: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of started.splice(0).reverse()) await s.close();
});
async function subgraph(opts: Parameters<typeof startTestSubgraph>[0]): Promise<TestSubgraph> {
  const s = await startTestSubgraph(opts);
  started.push(s);
  return s;
}
const getJson = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('start-up', () => {
  it('waits for a subgraph that starts 2 s late; /readyz is 503 until composed and all subgraphs answer', async () => {
    const tenancy = await subgraph({ ...tenancySubgraph(), secret: SECRET });
    const latePort = await freePort();
    const gwPort = await freePort();
    const logger = quietLogger();
    const lateUrl = `http://127.0.0.1:${latePort}/graphql`;
    const t0 = Date.now();
    const pending = startGateway(
      gatewayConfig(keys.publicKeyPem, [{ name: 'tenancy', url: tenancy.url }, { name: 'experiments', url: lateUrl }], { port: gwPort, logger }),
    );
    const base = `http://127.0.0.1:${gwPort}`;
    await new Promise((r) => setTimeout(r, 300));
    expect(await getJson(`${base}/healthz`)).toEqual({ status: 200, body: { status: 'alive' } });
    const starting = await getJson(`${base}/readyz`);
    expect(starting.status).toBe(503);
    expect(starting.body).toMatchObject({ status: 'unready', composed: false, unready: ['experiments'] });
    expect((await postGraphQL(`${base}/graphql`, '{ whoami { sub } }', tokenFor(keys.privateKeyPem))).status).toBe(503);

    await new Promise((r) => setTimeout(r, 2000 - (Date.now() - t0)));
    const experiments = await subgraph({ ...experimentsSubgraph(), secret: SECRET, port: latePort });
    const gateway = await pending;
    started.push(gateway);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
    expect(logger.lines.some((l) => l.includes(`waiting for subgraph "experiments" at ${lateUrl}`))).toBe(true);
    expect(await getJson(`${base}/readyz`)).toEqual({ status: 200, body: { status: 'ready', subgraphs: ['tenancy', 'experiments'] } });
    const res = await postGraphQL(gateway.url, '{ tenants { slug experimentCount } }', tokenFor(keys.privateKeyPem));
    expect(res.body.data?.tenants).toEqual([{ slug: 'acme', experimentCount: 4 }, { slug: 'globex', experimentCount: 6 }]);

    await experiments.close();
    started.splice(started.indexOf(experiments), 1);
    const down = await getJson(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ composed: true, unready: ['experiments'] });
    const unavailable = await postGraphQL(gateway.url, '{ experimentTotal }', tokenFor(keys.privateKeyPem));
    expect(unavailable.body.errors?.[0]).toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE', serviceName: 'experiments' } });
    expect(JSON.stringify(unavailable.body)).not.toMatch(/127\.0\.0\.1|sig/);
  });

  it('fails with a readable message listing each composition error with its subgraphs, and frees the port', async () => {
    const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
    const a = await subgraph({ name: 'a', secret: SECRET, typeDefs: `${link} type Query { a: Thing } type Thing { id: ID! }`, resolvers: {} });
    const b = await subgraph({ name: 'b', secret: SECRET, typeDefs: `${link} type Query { b: Thing } type Thing { id: Int! }`, resolvers: {} });
    const port = await freePort();
    const err = await startGateway(gatewayConfig(keys.publicKeyPem, [a, b].map(({ name, url }) => ({ name, url })), { port })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CompositionError);
    const message = (err as Error).message;
    expect(message).toMatch(/^supergraph composition failed \(\d+ errors?\):/);
    expect(message).toContain('  - [a, b] FIELD_TYPE_MISMATCH: Type of field "Thing.id" is incompatible across subgraphs');
    await expect(listenable(port)).resolves.toBe(true);
  });

  it('gives up after compositionTimeoutMs, naming the unreachable subgraph', async () => {
    const tenancy = await subgraph({ ...tenancySubgraph(), secret: SECRET });
    const deadUrl = `http://127.0.0.1:${await freePort()}/graphql`;
    const config = gatewayConfig(keys.publicKeyPem, [{ name: 'tenancy', url: tenancy.url }, { name: 'experiments', url: deadUrl }], {
      compositionTimeoutMs: 1200,
    });
    await expect(startGateway(config)).rejects.toThrow(`subgraph "experiments" (${deadUrl}) was not reachable before the composition timeout`);
  });

  it('stops at once when a subgraph refuses the signature (different secret)', async () => {
    const tenancy = await subgraph({ ...tenancySubgraph(), secret: 'another-secret-another-secret-another' });
    const t0 = Date.now();
    await expect(startGateway(gatewayConfig(keys.publicKeyPem, [{ name: 'tenancy', url: tenancy.url }]))).rejects.toThrow(
      /subgraph "tenancy" .* refused the composition request, HTTP 401: unauthenticated: gateway signature does not match \(is FAIRSWEEP_UPSTREAM_SECRET/,
    );
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}
