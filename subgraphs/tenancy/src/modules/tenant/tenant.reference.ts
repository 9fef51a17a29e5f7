import type { TenancyContext } from '../../context.js';
import type { TenantEntity } from './tenant.entity.js';

/** `_entities` resolution for Tenant: only tenants the caller may see; others resolve to null. */
export async function resolveTenantReference(ref: { slug?: unknown }, ctx: TenancyContext): Promise<TenantEntity | null> {
  if (typeof ref.slug !== 'string' || !ctx.principal.canSee(ref.slug)) return null;
  return ctx.loaders.tenant.load(ref.slug);
}
