import type { TenancyContext } from '../../context.js';
import { ProjectType } from '../tenant/tenant.type.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `_entities` resolution for Project (other subgraphs contribute fields to it, e.g. compute's
 * budget): looked up by id, and only in tenants the caller may see; anything else resolves to null.
 * No other field of the representation is trusted.
 */
export async function resolveProjectReference(ref: { id?: unknown }, ctx: TenancyContext): Promise<ProjectType | null> {
  if (typeof ref.id !== 'string' || !UUID.test(ref.id)) return null;
  const p = await ctx.loaders.project.load(ref.id);
  if (!p || !ctx.principal.canSee(p.tenant)) return null;
  return Object.assign(new ProjectType(), { id: p.id, tenantSlug: p.tenant, slug: p.slug, name: p.name, createdAt: p.createdAt });
}
