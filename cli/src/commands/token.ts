import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ALL_ROLES, mintToken, TENANT_ROLES, type FairsweepClaims } from '@fairsweep/auth';
import { CliError } from '../client.js';

export interface TokenOptions {
  tenant?: string;
  role: string;
  sub?: string;
  ttlHours: string;
}

/** Mints a token with the embedded platform's dev key (in FAIRSWEEP_DATA_DIR, default ./.fairsweep). */
export function tokenCommand(opts: TokenOptions): void {
  if (!(ALL_ROLES as readonly string[]).includes(opts.role)) {
    throw new CliError(`--role "${opts.role}" is not one of ${ALL_ROLES.join(', ')}`);
  }
  const dataDir = resolve(process.env.FAIRSWEEP_DATA_DIR ?? '.fairsweep');
  const keyFile = join(dataDir, 'keys', 'dev-jwt-private.pem');
  if (!existsSync(keyFile)) {
    throw new CliError(`no dev signing key at ${keyFile}: start the embedded platform first (npm start), or set FAIRSWEEP_DATA_DIR`);
  }
  const ttl = Number(opts.ttlHours);
  if (!Number.isFinite(ttl) || ttl <= 0) throw new CliError(`--ttl-hours must be a positive number, got "${opts.ttlHours}"`);
  let claims: FairsweepClaims;
  if (opts.role === 'platform-admin') {
    claims = { sub: opts.sub ?? 'platform-admin', roles: ['platform-admin'], memberships: [] };
  } else {
    if (!opts.tenant) throw new CliError(`--tenant is required for role ${opts.role} (one of ${TENANT_ROLES.join(', ')})`);
    claims = { sub: opts.sub ?? `${opts.role}@${opts.tenant}`, roles: [], memberships: [{ tenant: opts.tenant, role: opts.role as FairsweepClaims['memberships'][number]['role'] }] };
  }
  process.stdout.write(mintToken(readFileSync(keyFile, 'utf8'), claims, { expiresInSeconds: Math.round(ttl * 3600) }) + '\n');
}
