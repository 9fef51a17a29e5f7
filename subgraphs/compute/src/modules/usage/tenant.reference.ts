import type { ComputeContext } from '../../context.js';
import type { TenantType } from './tenant.type.js';

/** `_entities` resolution for Tenant: only tenants the caller may see; others resolve to null. */
export function resolveTenantReference(ref: { slug?: unknown }, ctx: ComputeContext): TenantType | null {
  if (typeof ref.slug !== 'string' || !ctx.principal.canSee(ref.slug)) return null;
  return { slug: ref.slug };
}
