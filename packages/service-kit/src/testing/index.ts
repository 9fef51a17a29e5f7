import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A throwaway database on the test server started by jest.postgres-setup.js (DATABASE_URL in CI,
 * embedded PostgreSQL otherwise). Each test file creates its own and drops it afterwards.
 */
export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export function testServerUrl(): string {
  const url = process.env.FAIRSWEEP_TEST_DATABASE_URL;
  if (!url) throw new Error('FAIRSWEEP_TEST_DATABASE_URL is not set: run tests through jest with jest.postgres-setup.js as globalSetup');
  return url;
}

export async function createTestDatabase(prefix = 'fs_test'): Promise<TestDatabase> {
  const serverUrl = testServerUrl();
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Polls `check` until it returns a truthy value or the deadline passes. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${lastError ? `: ${(lastError as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

import { signUpstream, SIGNATURE_EXTENSION, type FairsweepClaims } from '@fairsweep/auth';

export interface GraphQLResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown>; path?: (string | number)[] }[];
}

/** Sends a request to a subgraph signed as the gateway would, with the given caller claims. */
export async function signedRequest<T = Record<string, unknown>>(
  url: string,
  secret: string,
  claims: FairsweepClaims | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResult<T>> {
  const extensions = { [SIGNATURE_EXTENSION]: signUpstream(secret, { query, variables, claims, ...(claims ? {} : { system: 'test' }) }) };
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables, extensions }) });
  return { status: res.status, ...((await res.json()) as object) };
}

export const TEST_SECRET = 'test-upstream-secret-0123456789abcdef';

export const claimsFor = {
  platformAdmin: (sub = 'root'): FairsweepClaims => ({ sub, roles: ['platform-admin'], memberships: [] }),
  member: (tenant: string, role: 'tenant-admin' | 'member' | 'viewer' = 'member', sub = `${role}@${tenant}`): FairsweepClaims => ({
    sub,
    roles: [],
    memberships: [{ tenant, role }],
  }),
};
