import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayConfigFromEnv, parseSubgraphList } from './gateway.config.js';
import { rsaKeys } from './testing-internal/fixtures.js';

const { publicKeyPem } = rsaKeys();
const SECRET = 'x'.repeat(32);
const base = {
  FAIRSWEEP_SUBGRAPHS: 'tenancy=http://tenancy:4001/graphql, experiments=http://experiments:4002/graphql',
  FAIRSWEEP_UPSTREAM_SECRET: SECRET,
  JWT_PUBLIC_KEY: publicKeyPem,
};

describe('gatewayConfigFromEnv', () => {
  it('reads every variable, with defaults for HOST and PORT', () => {
    expect(gatewayConfigFromEnv({ ...base, JWT_ISSUER: 'iss', JWT_AUDIENCE: 'aud', FAIRSWEEP_COMPOSITION_TIMEOUT_MS: '5000' })).toEqual({
      host: '0.0.0.0',
      port: 4000,
      subgraphs: [
        { name: 'tenancy', url: 'http://tenancy:4001/graphql' },
        { name: 'experiments', url: 'http://experiments:4002/graphql' },
      ],
      upstreamSecret: SECRET,
      jwt: { publicKeyPem: publicKeyPem.trim(), jwksUri: undefined, issuer: 'iss', audience: 'aud' },
      compositionTimeoutMs: 5000,
    });
    expect(gatewayConfigFromEnv({ ...base, HOST: '127.0.0.1', PORT: '0' })).toMatchObject({ host: '127.0.0.1', port: 0 });
  });

  it('reads the key from JWT_PUBLIC_KEY_FILE, a one-line PEM, or uses JWT_JWKS_URL', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gw-')), 'jwt.pem');
    writeFileSync(file, publicKeyPem);
    const { JWT_PUBLIC_KEY: _k, ...noKey } = base;
    expect(gatewayConfigFromEnv({ ...noKey, JWT_PUBLIC_KEY_FILE: file }).jwt.publicKeyPem).toBe(publicKeyPem);
    expect(gatewayConfigFromEnv({ ...noKey, JWT_PUBLIC_KEY: publicKeyPem.trim().replace(/\n/g, '\\n') }).jwt.publicKeyPem).toBe(publicKeyPem.trim());
    expect(gatewayConfigFromEnv({ ...noKey, JWT_JWKS_URL: 'https://idp/.well-known/jwks.json' }).jwt).toMatchObject({ jwksUri: 'https://idp/.well-known/jwks.json' });
  });

  it.each([
    [{ FAIRSWEEP_SUBGRAPHS: undefined }, 'environment variable FAIRSWEEP_SUBGRAPHS is required'],
    [{ FAIRSWEEP_SUBGRAPHS: 'tenancy' }, 'FAIRSWEEP_SUBGRAPHS entry "tenancy" is not "name=url"'],
    [{ FAIRSWEEP_SUBGRAPHS: 'tenancy=ftp://x' }, 'FAIRSWEEP_SUBGRAPHS: subgraph "tenancy" needs an http(s) url'],
    [{ FAIRSWEEP_SUBGRAPHS: 'a=http://x/graphql,a=http://y/graphql' }, 'FAIRSWEEP_SUBGRAPHS: subgraph "a" is listed twice'],
    [{ FAIRSWEEP_UPSTREAM_SECRET: undefined }, 'environment variable FAIRSWEEP_UPSTREAM_SECRET is required'],
    [{ FAIRSWEEP_UPSTREAM_SECRET: 'short' }, 'FAIRSWEEP_UPSTREAM_SECRET must be at least 32 characters'],
    [{ JWT_PUBLIC_KEY: undefined }, 'one of JWT_PUBLIC_KEY, JWT_PUBLIC_KEY_FILE or JWT_JWKS_URL is required'],
    [{ JWT_PUBLIC_KEY: 'abc' }, 'JWT_PUBLIC_KEY / JWT_PUBLIC_KEY_FILE must hold a PEM "PUBLIC KEY" block'],
    [{ JWT_PUBLIC_KEY: undefined, JWT_PUBLIC_KEY_FILE: '/nonexistent/key.pem' }, 'JWT_PUBLIC_KEY_FILE "/nonexistent/key.pem" cannot be read'],
    [{ PORT: 'eighty' }, 'PORT must be an integer between 0 and 65535 (got "eighty")'],
    [{ FAIRSWEEP_COMPOSITION_TIMEOUT_MS: '-1' }, 'FAIRSWEEP_COMPOSITION_TIMEOUT_MS must be a positive number'],
  ])('names the bad variable: %j', (patch, message) => {
    expect(() => gatewayConfigFromEnv({ ...base, ...patch })).toThrow(message);
  });

  it('parses subgraph lists with spaces and empty entries', () => {
    expect(parseSubgraphList(' a=http://a/graphql ,, b=https://b:8443/gql ')).toEqual([
      { name: 'a', url: 'http://a/graphql' },
      { name: 'b', url: 'https://b:8443/gql' },
    ]);
  });
});
