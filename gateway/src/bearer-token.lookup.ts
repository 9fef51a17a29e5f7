import type { ExtractTokenFunction } from '@graphql-mesh/plugin-jwt-auth';
import { GraphQLError } from 'graphql';

export interface TokenExpectations {
  issuer?: string;
  audience?: string;
}

/** 401 with code UNAUTHENTICATED; the message says what is wrong with the credentials. */
export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/**
 * Finds the caller's bearer token: the `Authorization` header on HTTP; on graphql-ws the
 * `authorization` connection parameter (browsers cannot set headers on a WebSocket) or, as GraphiQL
 * sends it, the `headers.authorization` extension of the subscribe message.
 *
 * Before useJWT verifies the signature, the token is pre-checked so that a malformed, expired or
 * misaddressed token gets a precise 401 message instead of a bare "Unauthenticated".
 * A GraphiQL placeholder ("Bearer <token …>") counts as no token.
 */
export function createBearerTokenLookup(expect: TokenExpectations): ExtractTokenFunction {
  return ({ request, serverContext }) => {
    const raw = request ? request.headers.get('authorization') : fromWebSocket(serverContext);
    if (raw == null || raw.trim() === '') return undefined;
    const value = raw.trim();
    const [prefix, token, ...rest] = value.split(/\s+/);
    if (value.includes('<')) return undefined; // the GraphiQL header hint, not a credential
    if (prefix?.toLowerCase() !== 'bearer' || !token || rest.length) {
      throw unauthenticated('Authorization must be "Bearer <token>"');
    }
    precheck(token, expect);
    return { prefix: 'Bearer', token };
  };
}

function fromWebSocket(ctx: Record<string, unknown> | undefined): string | undefined {
  const params = ctx?.connectionParams as Record<string, unknown> | undefined;
  const fromParams = pick(params, 'authorization');
  if (fromParams !== undefined) return fromParams;
  const extensions = (ctx?.params as { extensions?: { headers?: Record<string, unknown> } } | undefined)?.extensions;
  return pick(extensions?.headers, 'authorization');
}

function pick(obj: Record<string, unknown> | undefined | null, name: string): string | undefined {
  if (!obj || typeof obj !== 'object') return undefined;
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name);
  const v = key === undefined ? undefined : obj[key];
  return typeof v === 'string' ? v : undefined;
}

/** Checks what can be checked without the key; the signature itself is left to useJWT. */
function precheck(token: string, expect: TokenExpectations): void {
  const parts = token.split('.');
  const header = parts.length === 3 ? decodePart(parts[0]!) : undefined;
  const payload = parts.length === 3 ? decodePart(parts[1]!) : undefined;
  if (!header || !payload) throw unauthenticated('Invalid token: not a JWT');
  if (header.alg !== 'RS256') throw unauthenticated(`Invalid token: algorithm "${String(header.alg)}" is not accepted (RS256 only)`);
  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.exp === 'number' && payload.exp <= now) {
    throw unauthenticated(`Invalid token: expired at ${new Date(payload.exp * 1000).toISOString()}`);
  }
  if (typeof payload.nbf === 'number' && payload.nbf > now + 5) {
    throw unauthenticated(`Invalid token: not valid before ${new Date(payload.nbf * 1000).toISOString()}`);
  }
  if (expect.issuer && payload.iss !== expect.issuer) {
    throw unauthenticated(`Invalid token: issuer "${String(payload.iss)}" is not "${expect.issuer}"`);
  }
  if (expect.audience) {
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!aud.includes(expect.audience)) {
      throw unauthenticated(`Invalid token: audience ${JSON.stringify(payload.aud ?? null)} does not include "${expect.audience}"`);
    }
  }
}

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
