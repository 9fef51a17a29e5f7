import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import type { FairsweepClaims } from './claims.js';

/** Issuer and audience of the tokens minted for the embedded platform. */
export const DEV_ISSUER = 'fairsweep-dev';
export const DEV_AUDIENCE = 'fairsweep';

export interface DevKeys {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** Loads the embedded platform's RS256 signing key from `<dir>/keys`, creating it on first use. */
export function loadOrCreateDevKeys(dataDir: string): DevKeys {
  const dir = join(dataDir, 'keys');
  const priv = join(dir, 'dev-jwt-private.pem');
  const pub = join(dir, 'dev-jwt-public.pem');
  if (!existsSync(priv) || !existsSync(pub)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(priv, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(pub, publicKey.export({ type: 'spki', format: 'pem' }));
  }
  return { privateKeyPem: readFileSync(priv, 'utf8'), publicKeyPem: readFileSync(pub, 'utf8') };
}

/** Loads (or creates) the shared gateway→subgraph HMAC secret of the embedded platform. */
export function loadOrCreateUpstreamSecret(dataDir: string): string {
  const dir = join(dataDir, 'keys');
  const file = join(dir, 'upstream-secret');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

export interface MintOptions {
  expiresInSeconds?: number;
  issuer?: string;
  audience?: string;
}

/** Mints an RS256 token carrying Fairsweep claims. Used by `fairsweep token` and the tests. */
export function mintToken(privateKeyPem: string, claims: FairsweepClaims, opts: MintOptions = {}): string {
  const { sub, ...rest } = claims;
  return jwt.sign(rest, privateKeyPem, {
    algorithm: 'RS256',
    subject: sub,
    issuer: opts.issuer ?? DEV_ISSUER,
    audience: opts.audience ?? DEV_AUDIENCE,
    expiresIn: opts.expiresInSeconds ?? 12 * 3600,
  });
}
