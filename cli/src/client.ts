import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'CliError';
  }
}

export interface Connection {
  url: string;
  token: string;
}

interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string; issues?: { path: string; message: string }[] };
}

/** Where the gateway is and who the caller is: flags win over FAIRSWEEP_URL / FAIRSWEEP_TOKEN. */
export function connection(opts: { url?: string; token?: string }): Connection {
  const url = opts.url ?? process.env.FAIRSWEEP_URL ?? 'http://127.0.0.1:4000/graphql';
  const token = opts.token ?? process.env.FAIRSWEEP_TOKEN;
  if (!token) {
    throw new CliError('no token: set FAIRSWEEP_TOKEN or pass --token (on the embedded platform: export FAIRSWEEP_TOKEN=$(npx fairsweep token --tenant demo --role member))');
  }
  return { url, token };
}

export function describeErrors(errors: GraphQLErrorShape[]): string {
  return errors
    .map((e) => {
      const code = e.extensions?.code ? ` [${e.extensions.code}]` : '';
      return `${e.message}${code}`;
    })
    .join('\n');
}

export async function request<T>(conn: Connection, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(conn.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${conn.token}` },
      body: JSON.stringify({ query, variables }),
    });
  } catch (err) {
    throw new CliError(`cannot reach the gateway at ${conn.url}: ${(err as Error).cause ?? (err as Error).message} (is the platform running? npm start)`);
  }
  const text = await res.text();
  let body: { data?: T; errors?: GraphQLErrorShape[] };
  try {
    body = JSON.parse(text);
  } catch {
    throw new CliError(`gateway answered HTTP ${res.status} with a non-JSON body: ${text.slice(0, 200)}`);
  }
  if (body.errors?.length) throw new CliError(describeErrors(body.errors));
  if (!res.ok) throw new CliError(`gateway answered HTTP ${res.status}`);
  return body.data as T;
}

export function wsClient(conn: Connection): Client {
  return createClient({
    url: conn.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${conn.token}` },
    retryAttempts: 5,
    lazy: true,
  });
}

/** Reads the (unverified) claims of a token to pick defaults such as the tenant. */
export function tokenClaims(token: string): { sub?: string; memberships?: { tenant: string; role: string }[] } {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
  } catch {
    return {};
  }
}

/** The tenant a command acts on when --tenant is not given: the token's only one. */
export function defaultTenant(token: string): string {
  const memberships = tokenClaims(token).memberships ?? [];
  if (memberships.length === 1) return memberships[0]!.tenant;
  throw new CliError(`--tenant is required: the token belongs to ${memberships.length} tenants`);
}
