import type { Principal, TenantAction } from '@fairsweep/auth';
import { errors } from './errors.js';

/**
 * Tenant filters every read applies: `null` means "all tenants" (platform admins); otherwise the
 * list of slugs the caller may see (possibly empty: system callers see nothing).
 */
export function visibleTenantFilter(principal: Principal): string[] | null {
  const v = principal.visibleTenants;
  return v === 'all' ? null : v;
}

/** Throws FORBIDDEN unless the caller may do `action` in `tenant`. */
export function assertCan(principal: Principal, tenant: string, action: TenantAction): void {
  if (!principal.can(tenant, action)) {
    if (!principal.canSee(tenant)) throw errors.notFound('tenant', tenant);
    throw errors.forbidden(action, tenant);
  }
}
