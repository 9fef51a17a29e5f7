import { errors } from '@fairsweep/service-kit';
import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ExperimentsContext } from '../../context.js';
import { toExperiment } from '../experiment/experiment.mapper.js';
import { isUuid } from '../experiment/experiment.service.js';
import { ExperimentType } from '../experiment/experiment.type.js';
import { buildLineage, toOpenLineage, toProvJson, type LineageGraph } from './lineage.graph.js';
import { experimentsUsingCommit, LINEAGE_DEFAULT_DEPTH, LINEAGE_MAX_DEPTH, loadLineageRecords } from './lineage.store.js';
import { LineageDirectionEnum, LineageFormatEnum, LineageGraphType } from './lineage.type.js';
import { specOverrides } from './rerun.rules.js';

const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

function checkDepth(maxDepth: number): void {
  if (!Number.isInteger(maxDepth) || maxDepth < 0 || maxDepth > LINEAGE_MAX_DEPTH) {
    throw errors.invalidInput('maxDepth', `must be an integer from 0 to ${LINEAGE_MAX_DEPTH}, got ${maxDepth}`);
  }
}

async function graphOf(ctx: ExperimentsContext, id: string, direction: LineageDirectionEnum, maxDepth: number): Promise<LineageGraph | null> {
  checkDepth(maxDepth);
  if (!isUuid(id)) return null;
  const records = await loadLineageRecords(ctx.em, id, direction, maxDepth, (t) => ctx.principal.canSee(t));
  return records.length === 0 ? null : buildLineage(id, records);
}

/** Reruns and the parent/child links between experiments. */
@Resolver(() => ExperimentType)
export class LineageResolver {
  @Mutation(() => ExperimentType, {
    description: 'Starts a new experiment from a recorded one (same spec, seed and suggestions), recorded as its child; `executor` runs it on another installed executor (see rerunOverrides).',
  })
  async rerunExperiment(
    @Arg('id', () => ID) id: string,
    @Arg('environment', () => GraphQLJSON, { nullable: true, description: 'Environment snapshot of the rerun, as for submitExperiment.' }) environment: unknown,
    @Arg('executor', () => String, { nullable: true, description: 'Replaces the parent\'s trial.executor; must be an installed executor. Default: the parent\'s.' }) executor: string | null,
    @Ctx() ctx: ExperimentsContext,
  ): Promise<ExperimentType> {
    return toExperiment(await ctx.experiments.rerun(id, environment ?? null, { executor }));
  }

  @FieldResolver(() => GraphQLJSON, {
    nullable: true,
    description: 'For a rerun: what it changed from its parent\'s spec, as [{path, parent, child}] (e.g. trial.executor); [] when nothing; null when not a rerun. Derived from the two immutable specs.',
  })
  async rerunOverrides(@Root() e: ExperimentType, @Ctx() ctx: ExperimentsContext): Promise<unknown> {
    if (!e.parentId) return null;
    const parent = await ctx.loaders.experiment.load(e.parentId);
    if (!parent || !ctx.principal.canSee(parent.tenant)) return null;
    return specOverrides(parent.spec, e.spec);
  }

  @FieldResolver(() => LineageGraphType, {
    description: 'This experiment with its reruns (descendants) and/or the experiments it reruns (ancestors), each with the code, lockfiles, image and runtimes it used and who submitted it.',
  })
  async lineage(
    @Root() e: ExperimentType,
    @Ctx() ctx: ExperimentsContext,
    @Arg('direction', () => LineageDirectionEnum, { defaultValue: LineageDirectionEnum.BOTH }) direction: LineageDirectionEnum,
    @Arg('maxDepth', () => Int, { defaultValue: LINEAGE_DEFAULT_DEPTH, description: `Rerun links to follow, 0 to ${LINEAGE_MAX_DEPTH}.` }) maxDepth: number,
  ): Promise<LineageGraphType> {
    const graph = await graphOf(ctx, e.id, direction, maxDepth);
    if (!graph) throw errors.notFound('experiment', e.id);
    return graph as LineageGraphType;
  }

  @Query(() => GraphQLJSON, {
    nullable: true,
    description: 'The lineage of an experiment as W3C PROV-JSON or OpenLineage run events; null when the experiment is missing or not visible.',
  })
  async lineageExport(
    @Arg('experimentId', () => ID) experimentId: string,
    @Arg('format', () => LineageFormatEnum, { defaultValue: LineageFormatEnum.PROV_JSON }) format: LineageFormatEnum,
    @Arg('direction', () => LineageDirectionEnum, { defaultValue: LineageDirectionEnum.BOTH }) direction: LineageDirectionEnum,
    @Arg('maxDepth', () => Int, { defaultValue: LINEAGE_DEFAULT_DEPTH }) maxDepth: number,
    @Ctx() ctx: ExperimentsContext,
  ): Promise<unknown> {
    const graph = await graphOf(ctx, experimentId, direction, maxDepth);
    if (!graph) return null;
    return format === LineageFormatEnum.OPENLINEAGE ? toOpenLineage(graph, 'https://fairsweep.dev/experiments') : toProvJson(graph);
  }

  @Query(() => [ExperimentType], { description: 'The tenant\'s experiments whose environment snapshot names this git commit, newest first.' })
  async experimentsByCommit(
    @Arg('tenant') tenant: string,
    @Arg('commit') commit: string,
    @Arg('limit', () => Int, { defaultValue: 100 }) limit: number,
    @Ctx() ctx: ExperimentsContext,
  ): Promise<ExperimentType[]> {
    if (!COMMIT.test(commit)) throw errors.invalidInput('commit', `must be a full git commit id (40 or 64 lowercase hex characters), got "${commit}"`);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw errors.invalidInput('limit', `must be an integer from 1 to 1000, got ${limit}`);
    if (!ctx.principal.canSee(tenant)) return [];
    const ids = await experimentsUsingCommit(ctx.em, tenant, commit, limit);
    const found = await ctx.loaders.experiment.loadMany(ids);
    return found.filter((x): x is Exclude<typeof x, Error | null | undefined> => !!x && !(x instanceof Error)).map(toExperiment);
  }

  @FieldResolver(() => ExperimentType, { nullable: true, description: 'The experiment this one reruns.' })
  async parent(@Root() e: ExperimentType, @Ctx() ctx: ExperimentsContext): Promise<ExperimentType | null> {
    if (!e.parentId) return null;
    const p = await ctx.loaders.experiment.load(e.parentId);
    return p && ctx.principal.canSee(p.tenant) ? toExperiment(p) : null;
  }

  @FieldResolver(() => [ExperimentType], { description: 'Reruns of this experiment, oldest first.' })
  async children(@Root() e: ExperimentType, @Ctx() ctx: ExperimentsContext): Promise<ExperimentType[]> {
    const all = await ctx.loaders.childrenByParent.load(e.id);
    return all.filter((c) => ctx.principal.canSee(c.tenant)).map(toExperiment);
  }
}
