import type { ExperimentsContext } from './context.js';
import { toExperiment, toTrial } from './modules/experiment/experiment.mapper.js';
import { isUuid } from './modules/experiment/experiment.service.js';
import { toArtifact } from './modules/artifact/artifact.type.js';

/** `_entities` resolution: every reference is filtered by the signed caller's tenants. */
export const experimentsReferences = {
  Tenant: (ref: { slug?: unknown }, ctx: ExperimentsContext) =>
    typeof ref.slug === 'string' && ctx.principal.canSee(ref.slug) ? { slug: ref.slug } : null,
  Experiment: async (ref: { id?: unknown }, ctx: ExperimentsContext) => {
    if (typeof ref.id !== 'string' || !isUuid(ref.id)) return null;
    const e = await ctx.loaders.experiment.load(ref.id);
    return e && ctx.principal.canSee(e.tenant) ? toExperiment(e) : null;
  },
  Trial: async (ref: { id?: unknown }, ctx: ExperimentsContext) => {
    if (typeof ref.id !== 'string' || !isUuid(ref.id)) return null;
    const t = await ctx.loaders.trial.load(ref.id);
    return t && ctx.principal.canSee(t.tenant) ? toTrial(t) : null;
  },
  /** ArtifactService.get returns only artifacts of the caller's tenants. */
  Artifact: async (ref: { id?: unknown }, ctx: ExperimentsContext) => {
    if (typeof ref.id !== 'string') return null;
    const a = await ctx.artifacts.get(ref.id);
    return a && toArtifact(a);
  },
};
