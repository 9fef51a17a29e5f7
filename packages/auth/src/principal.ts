import type { FairsweepClaims } from './claims.js';
import { roleAllows, type TenantAction, type TenantRole } from './roles.js';

/**
 * The caller as the subgraphs see it, built only from claims whose gateway signature was verified.
 * Every read filters through `visibleTenants`; every write checks `can`.
 */
export class Principal {
  private readonly roleByTenant: ReadonlyMap<string, TenantRole>;

  constructor(readonly claims: FairsweepClaims, readonly system = false) {
    this.roleByTenant = new Map(claims.memberships.map((m) => [m.tenant, m.role]));
  }

  /** The platform's own internal caller (composition, health checks); sees no tenant data. */
  static system(name: string): Principal {
    return new Principal({ sub: `system:${name}`, roles: [], memberships: [] }, true);
  }

  get subject(): string {
    return this.claims.sub;
  }

  get isPlatformAdmin(): boolean {
    return this.claims.roles.includes('platform-admin');
  }

  roleIn(tenant: string): TenantRole | undefined {
    return this.roleByTenant.get(tenant);
  }

  /** `'all'` for platform admins, otherwise the slugs of the tenants the caller belongs to. */
  get visibleTenants(): 'all' | string[] {
    return this.isPlatformAdmin ? 'all' : [...this.roleByTenant.keys()];
  }

  canSee(tenant: string): boolean {
    return this.isPlatformAdmin || this.roleByTenant.has(tenant);
  }

  can(tenant: string, action: TenantAction): boolean {
    if (this.isPlatformAdmin) return true;
    const role = this.roleByTenant.get(tenant);
    return role !== undefined && roleAllows(role, action);
  }
}
