import { generateKeyPairSync } from 'node:crypto';
import { type FormattedExecutionResult, GraphQLError } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { DEV_AUDIENCE, DEV_ISSUER, type FairsweepClaims, mintToken } from '@fairsweep/auth';
import type { GatewayConfig, GatewayLogger } from '../gateway.config.js';
import type { SubgraphContext, TestSubgraphOptions } from './test-subgraph.js';

export const SECRET = 'test-upstream-secret-0123456789abcdef';

export function rsaKeys(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export const ALICE: FairsweepClaims = { sub: 'alice', name: 'Alice', roles: [], memberships: [{ tenant: 'acme', role: 'member' }] };

export function tokenFor(privateKeyPem: string, claims: FairsweepClaims = ALICE, expiresInSeconds?: number): string {
  return mintToken(privateKeyPem, claims, { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, ...(expiresInSeconds !== undefined ? { expiresInSeconds } : {}) });
}

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
const TENANTS: Record<string, string> = { acme: 'Acme Corp', globex: 'Globex' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const who = (ctx: SubgraphContext) => ctx.principal?.subject ?? 'nobody';

/** Owns `Tenant @key(fields: "slug")` and a subscription returning tenants. */
export function tenancySubgraph(): Omit<TestSubgraphOptions, 'secret'> {
  return {
    name: 'tenancy',
    typeDefs: `${LINK}
      type Tenant @key(fields: "slug") { slug: String! name: String! }
      type Caller { sub: String! tenants: [String!]! }
      type TenantEvent { seq: Int! seenBy: String! tenant: Tenant! }
      type Query { tenants: [Tenant!]! tenant(slug: String!): Tenant whoami: Caller! }
      type Subscription { tenantChanged(slug: String!, count: Int! = 3): TenantEvent! }`,
    resolvers: {
      Query: {
        tenants: () => Object.keys(TENANTS).map((slug) => ({ slug })),
        tenant: (_p: unknown, args: { slug: string }) => (TENANTS[args.slug] ? { slug: args.slug } : null),
        whoami: (_p: unknown, _a: unknown, ctx: SubgraphContext) => ({
          sub: who(ctx),
          tenants: ctx.principal?.claims.memberships.map((m) => m.tenant) ?? [],
        }),
      },
      Tenant: {
        __resolveReference: (ref: { slug: string }) => ({ slug: ref.slug }),
        name: (t: { slug: string }) => TENANTS[t.slug] ?? t.slug,
      },
      Subscription: {
        tenantChanged: {
          subscribe: async function* (_p: unknown, args: { slug: string; count: number }, ctx: SubgraphContext) {
            for (let seq = 1; seq <= args.count; seq++) {
              await sleep(20);
              yield { tenantChanged: { seq, seenBy: who(ctx), tenant: { slug: args.slug } } };
            }
          },
        },
      },
    },
  };
}

/** Extends `Tenant` with fields resolved from the caller's signed claims. */
export function experimentsSubgraph(): Omit<TestSubgraphOptions, 'secret'> {
  return {
    name: 'experiments',
    typeDefs: `${LINK}
      type Tenant @key(fields: "slug") { slug: String! experimentCount: Int! viewedBy: String! }
      type Query { experimentTotal: Int! forbidden: Int crash: Int }`,
    resolvers: {
      Query: {
        experimentTotal: () => 5,
        forbidden: () => {
          throw new GraphQLError('not a member of this tenant', { extensions: { code: 'FORBIDDEN' } });
        },
        crash: () => {
          throw new Error('database password is hunter2');
        },
      },
      Tenant: {
        __resolveReference: (ref: { slug: string }) => ({ slug: ref.slug }),
        experimentCount: (t: { slug: string }) => t.slug.length,
        viewedBy: (_t: unknown, _a: unknown, ctx: SubgraphContext) => who(ctx),
      },
    },
  };
}

export function gatewayConfig(publicKeyPem: string, subgraphs: { name: string; url: string }[], extra: Partial<GatewayConfig> = {}): GatewayConfig {
  return {
    host: '127.0.0.1',
    port: 0,
    subgraphs,
    upstreamSecret: SECRET,
    jwt: { publicKeyPem, issuer: DEV_ISSUER, audience: DEV_AUDIENCE },
    logger: quietLogger(),
    ...extra,
  };
}

export function quietLogger(lines: string[] = []): GatewayLogger & { lines: string[] } {
  // GATEWAY_TEST_LOG=1 prints the gateway's log lines while the tests run.
  const out = (l: string) => {
    lines.push(l);
    if (process.env.GATEWAY_TEST_LOG) process.stderr.write(`${l}\n`);
  };
  return { lines, info: (m) => out(`info ${m}`), warn: (m) => out(`warn ${m}`), error: (m) => out(`error ${m}`) };
}

export interface GqlResponse {
  status: number;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

export async function postGraphQL(url: string, query: string, token?: string, variables?: Record<string, unknown>): Promise<GqlResponse> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as GqlResponse['body'] };
}

/** Runs one operation over graphql-ws and collects every result until completion. */
export async function wsCollect(
  url: string,
  query: string,
  connectionParams: Record<string, unknown> = {},
  extensions?: Record<string, unknown>,
): Promise<FormattedExecutionResult[]> {
  const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
  const results: FormattedExecutionResult[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      client.subscribe({ query, ...(extensions ? { extensions } : {}) }, { next: (r) => results.push(r as FormattedExecutionResult), error: reject, complete: resolve });
    });
  } finally {
    await client.dispose();
  }
  return results;
}
