import { createPublicKey } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mintToken } from '@fairsweep/auth';
import { type RunningGateway, startGateway } from './gateway.server.js';
import { ALICE, gatewayConfig, postGraphQL, rsaKeys, SECRET, tenancySubgraph, tokenFor } from './testing-internal/fixtures.js';
import { startTestSubgraph, type TestSubgraph } from './testing-internal/test-subgraph.js';

const keys = rsaKeys();
let tenancy: TestSubgraph;
let jwks: Server;
let gateway: RunningGateway;

beforeAll(async () => {
  tenancy = await startTestSubgraph({ ...tenancySubgraph(), secret: SECRET });
  const jwk = { ...createPublicKey(keys.publicKeyPem).export({ format: 'jwk' }), use: 'sig', alg: 'RS256', kid: 'k1' };
  jwks = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', () => resolve()));
  const jwksUri = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
  gateway = await startGateway(
    gatewayConfig(keys.publicKeyPem, [{ name: tenancy.name, url: tenancy.url }], {
      jwt: { jwksUri, issuer: 'fairsweep-dev', audience: 'fairsweep' },
    }),
  );
});
afterAll(async () => {
  await gateway?.close();
  await tenancy?.close();
  await new Promise<void>((resolve) => jwks?.close(() => resolve()));
});

describe('JWT verification', () => {
  it('verifies tokens against a JWKS endpoint', async () => {
    const res = await postGraphQL(gateway.url, '{ whoami { sub tenants } }', tokenFor(keys.privateKeyPem));
    expect(res.body).toEqual({ data: { whoami: { sub: 'alice', tenants: ['acme'] } } });
  });

  it('rejects a token for another issuer or audience with a message saying which', async () => {
    const wrongIss = await postGraphQL(gateway.url, '{ whoami { sub } }', mintToken(keys.privateKeyPem, ALICE, { issuer: 'evil' }));
    expect(wrongIss.status).toBe(401);
    expect(wrongIss.body.errors?.[0]?.message).toBe('Invalid token: issuer "evil" is not "fairsweep-dev"');
    const wrongAud = await postGraphQL(gateway.url, '{ whoami { sub } }', mintToken(keys.privateKeyPem, ALICE, { audience: 'other' }));
    expect(wrongAud.status).toBe(401);
    expect(wrongAud.body.errors?.[0]?.message).toMatch(/audience "other" does not include "fairsweep"/);
  });

  it('rejects a verified token whose claims are not Fairsweep claims', async () => {
    const res = await postGraphQL(gateway.url, '{ whoami { sub } }', tokenFor(keys.privateKeyPem, { ...ALICE, roles: ['root' as never] }));
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(res.body.errors?.[0]?.message).toMatch(/Invalid token claims: .*unknown platform role "root"/);
  });

  it('ignores a client-sent signature extension: the gateway signs with the verified claims', async () => {
    const before = tenancy.received.length;
    const res = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokenFor(keys.privateKeyPem)}` },
      body: JSON.stringify({
        query: '{ whoami { sub } }',
        extensions: { fairsweep: { claims: { sub: 'mallory', roles: ['platform-admin'], memberships: [] }, ts: Date.now(), sig: 'x' } },
      }),
    });
    expect(await res.json()).toEqual({ data: { whoami: { sub: 'alice' } } });
    expect(tenancy.received.slice(before).map((r) => r.principal?.subject)).toEqual(['alice']);
  });
});
