import { isRole, type PlatformRole, type TenantRole, TENANT_ROLES } from './roles.js';

/** A tenant membership carried in a token: the tenant's slug and the caller's role in it. */
export interface Membership {
  tenant: string;
  role: TenantRole;
}

/**
 * The identity claims Fairsweep reads from a verified JWT and forwards, signed, to the subgraphs.
 * Token shape (documented in docs/identity.md):
 *   { sub, name?, roles?: ["platform-admin"], memberships?: [{ tenant: "<slug>", role }] }
 */
export interface FairsweepClaims {
  sub: string;
  name?: string;
  roles: PlatformRole[];
  memberships: Membership[];
}

export class ClaimsError extends Error {
  constructor(message: string) {
    super(`auth: ${message}`);
    this.name = 'ClaimsError';
  }
}

/** Reads and checks the Fairsweep claims from a decoded JWT payload; throws ClaimsError on bad shape. */
export function claimsFromPayload(payload: unknown): FairsweepClaims {
  if (!payload || typeof payload !== 'object') throw new ClaimsError('token payload is not an object');
  const p = payload as Record<string, unknown>;
  if (typeof p.sub !== 'string' || p.sub.length === 0) throw new ClaimsError('token has no "sub" claim');
  const roles: PlatformRole[] = [];
  if (p.roles !== undefined) {
    if (!Array.isArray(p.roles)) throw new ClaimsError('"roles" must be an array');
    for (const r of p.roles) {
      if (r !== 'platform-admin') throw new ClaimsError(`unknown platform role "${String(r)}" (allowed: platform-admin)`);
      roles.push(r);
    }
  }
  const memberships: Membership[] = [];
  if (p.memberships !== undefined) {
    if (!Array.isArray(p.memberships)) throw new ClaimsError('"memberships" must be an array');
    for (const [i, m] of p.memberships.entries()) {
      const mm = m as Record<string, unknown> | null;
      if (!mm || typeof mm.tenant !== 'string' || !mm.tenant) throw new ClaimsError(`memberships[${i}].tenant must be a tenant slug`);
      if (!isRole(mm.role) || !(TENANT_ROLES as readonly string[]).includes(mm.role)) {
        throw new ClaimsError(`memberships[${i}].role "${String(mm.role)}" is not one of ${TENANT_ROLES.join(', ')}`);
      }
      memberships.push({ tenant: mm.tenant, role: mm.role as TenantRole });
    }
  }
  return { sub: p.sub, ...(typeof p.name === 'string' ? { name: p.name } : {}), roles, memberships };
}
