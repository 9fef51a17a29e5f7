import type { ComputeContext } from '../../context.js';
import type { ProjectRefType } from './project.type.js';

/**
 * `_entities` resolution for Project: compute has no project table, so it takes the tenant and
 * slug the gateway fetched from tenancy (`@requires`) and answers only for tenants the caller may
 * see; others (or a representation without them) resolve to null.
 */
export function resolveProjectReference(ref: { id?: unknown; tenantSlug?: unknown; slug?: unknown }, ctx: ComputeContext): ProjectRefType | null {
  const { id, tenantSlug, slug } = ref;
  if (typeof id !== 'string' || typeof tenantSlug !== 'string' || typeof slug !== 'string' || !ctx.principal.canSee(tenantSlug)) return null;
  return { id, tenantSlug, slug };
}
