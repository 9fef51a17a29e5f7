import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { claimsFromPayload, type FairsweepClaims } from './claims.js';
import { Principal } from './principal.js';

/**
 * Gateway → subgraph request signing.
 *
 * The gateway adds `extensions.fairsweep = { claims, system?, ts, sig }` to every upstream request
 * (HTTP bodies and graphql-ws `subscribe` payloads alike). `sig` is HMAC-SHA256, keyed with the
 * shared upstream secret, over the canonical JSON of
 *   { v: 1, query, variables, claims, system, ts }
 * where `query` is the exact query text sent upstream. A subgraph accepts a request only when the
 * signature matches and `ts` lies within the validity window; the caller's identity is then taken
 * from those signed claims and nothing else.
 */
export const SIGNATURE_EXTENSION = 'fairsweep';
export const SIGNATURE_VERSION = 1;
export const DEFAULT_VALIDITY_MS = 30_000;

export interface SignedEnvelope {
  /** Verified end-user claims, or null for the gateway's own system requests. */
  claims: FairsweepClaims | null;
  /** Set on the gateway's own requests (e.g. "composition"); such requests see no tenant data. */
  system?: string;
  ts: number;
  sig: string;
}

export interface SignInput {
  query: string;
  variables?: Record<string, unknown> | null;
  claims: FairsweepClaims | null;
  system?: string;
  ts?: number;
}

function digest(secret: string, input: Required<Omit<SignInput, 'system'>> & { system?: string }): string {
  const material = canonicalJson({
    v: SIGNATURE_VERSION,
    query: input.query,
    variables: input.variables ?? {},
    claims: input.claims,
    system: input.system ?? null,
    ts: input.ts,
  });
  return createHmac('sha256', secret).update(material).digest('base64url');
}

export function signUpstream(secret: string, input: SignInput): SignedEnvelope {
  assertSecret(secret);
  const ts = input.ts ?? Date.now();
  const sig = digest(secret, { query: input.query, variables: input.variables ?? {}, claims: input.claims, system: input.system, ts });
  return { claims: input.claims, ...(input.system ? { system: input.system } : {}), ts, sig };
}

export class SignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignatureError';
  }
}

export interface VerifyInput {
  query: string | undefined;
  variables?: Record<string, unknown> | null;
  extensions?: Record<string, unknown> | null;
}

/** Verifies a request received by a subgraph and returns the caller; throws SignatureError. */
export function verifyUpstream(
  secret: string,
  input: VerifyInput,
  opts: { now?: number; validityMs?: number } = {},
): Principal {
  assertSecret(secret);
  const env = input.extensions?.[SIGNATURE_EXTENSION] as Partial<SignedEnvelope> | undefined;
  if (!env || typeof env !== 'object') throw new SignatureError('request is not signed by the gateway');
  if (typeof env.sig !== 'string' || typeof env.ts !== 'number') throw new SignatureError('malformed gateway signature');
  if (typeof input.query !== 'string') throw new SignatureError('signed request has no query text');
  const now = opts.now ?? Date.now();
  const validity = opts.validityMs ?? DEFAULT_VALIDITY_MS;
  if (Math.abs(now - env.ts) > validity) throw new SignatureError('gateway signature expired');
  const expected = digest(secret, {
    query: input.query,
    variables: input.variables ?? {},
    claims: env.claims ?? null,
    system: env.system,
    ts: env.ts,
  });
  const a = Buffer.from(expected);
  const b = Buffer.from(env.sig);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new SignatureError('gateway signature does not match');
  if (env.claims == null) {
    if (!env.system) throw new SignatureError('signed request carries neither claims nor a system caller');
    return Principal.system(env.system);
  }
  return new Principal(claimsFromPayload(env.claims));
}

function assertSecret(secret: string): void {
  if (typeof secret !== 'string' || secret.length < 32) {
    throw new SignatureError('upstream secret must be at least 32 characters (FAIRSWEEP_UPSTREAM_SECRET)');
  }
}
