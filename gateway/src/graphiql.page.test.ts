import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { type RunningGateway, startGateway } from './gateway.server.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@theguild/federation-composition';
import { buildSchema, parse, validate } from 'graphql';
import { DEFAULT_QUERY, GRAPHIQL_HEADER_HINT } from './graphiql.page.js';
import { gatewayConfig, postGraphQL, rsaKeys, SECRET, tenancySubgraph } from './testing-internal/fixtures.js';
import { startTestSubgraph, type TestSubgraph } from './testing-internal/test-subgraph.js';

let tenancy: TestSubgraph;
let gateway: RunningGateway;

beforeAll(async () => {
  tenancy = await startTestSubgraph({ ...tenancySubgraph(), secret: SECRET });
  gateway = await startGateway(gatewayConfig(rsaKeys().publicKeyPem, [{ name: tenancy.name, url: tenancy.url }]));
});
afterAll(async () => {
  await gateway?.close();
  await tenancy?.close();
});

/** Raw GET (fetch would decompress transparently). */
function get(url: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

describe('offline GraphiQL at GET /graphql', () => {
  it('is served gzip-compressed, cacheable, and loads nothing from the network', async () => {
    const res = await get(gateway.url, { accept: 'text/html', 'accept-encoding': 'gzip, deflate, br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(res.headers.etag).toBeTruthy();
    const html = gunzipSync(res.body).toString('utf8');
    expect(html.length).toBeGreaterThan(5_000_000);
    expect(res.body.length).toBeLessThan(html.length / 2);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).toContain('Fairsweep GraphiQL');
    expect(html).toContain('"subscriptionsProtocol":"WS"');
    expect(html).toContain(JSON.stringify(JSON.stringify({ Authorization: GRAPHIQL_HEADER_HINT }, null, 2)).slice(1, -1));
  });

  it('answers 304 to a matching If-None-Match and serves plain HTML to clients without gzip', async () => {
    const first = await get(gateway.url, { accept: 'text/html', 'accept-encoding': 'gzip' });
    const again = await get(gateway.url, { accept: 'text/html', 'if-none-match': String(first.headers.etag) });
    expect(again.status).toBe(304);
    const plain = await get(gateway.url, { accept: 'text/html' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(gunzipSync(first.body))).toBe(true);
  });

  it('treats the header placeholder as no token, so introspection works before a token is pasted', async () => {
    const res = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: GRAPHIQL_HEADER_HINT },
      body: JSON.stringify({ query: '{ __schema { subscriptionType { name } } }' }),
    });
    expect(await res.json()).toEqual({ data: { __schema: { subscriptionType: { name: 'Subscription' } } } });
    const data = await postGraphQL(gateway.url, '{ whoami { sub } }');
    expect(data.status).toBe(401);
  });
});

describe('the document GraphiQL opens with', () => {
  it('is valid against the supergraph composed from the committed subgraph schemas', () => {
    const root = join(__dirname, '..', '..', 'subgraphs');
    const services = ['tenancy', 'experiments', 'compute'].map((name) => ({
      name, url: `http://${name}`, typeDefs: parse(readFileSync(join(root, name, 'schema.graphql'), 'utf8')),
    }));
    const composed = composeServices(services);
    expect(composed.errors).toBeUndefined();
    const schema = buildSchema((composed as { publicSdl: string }).publicSdl);
    expect(validate(schema, parse(DEFAULT_QUERY)).map((e) => e.message)).toEqual([]);
  });
});
