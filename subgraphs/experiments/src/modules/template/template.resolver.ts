import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { ExperimentsContext } from '../../context.js';
import { ExperimentType, SpecFormat } from '../experiment/experiment.type.js';
import type { TemplateVersionEntity } from './template-version.entity.js';
import { TemplateService } from './template.service.js';
import { TemplateRefType, TemplateVersionType } from './template.type.js';

const toType = (row: TemplateVersionEntity): TemplateVersionType => Object.assign(new TemplateVersionType(), { ...row, hash: row.hash.trim() });

@Resolver()
export class TemplateResolver {
  @Mutation(() => TemplateVersionType, {
    description: 'Publishes the next version of a project\'s experiment template (tenant admins). INVALID_SPEC names each bad field.',
  })
  async createTemplateVersion(
    @Arg('tenant') tenant: string,
    @Arg('project') project: string,
    @Arg('name') name: string,
    @Arg('template', { description: 'A partial fairsweep/v1 spec, YAML or JSON.' }) template: string,
    @Arg('reason', { description: 'Why this version is published (recorded).' }) reason: string,
    @Arg('format', () => SpecFormat, { nullable: true, description: 'Detected from the text when omitted.' }) format: SpecFormat | null,
    @Ctx() ctx: ExperimentsContext,
  ): Promise<TemplateVersionType> {
    return toType(await new TemplateService(ctx.em, ctx.principal).createVersion(tenant, project, name, template, format ?? null, reason));
  }

  @Query(() => [TemplateVersionType], { description: 'Template versions of a tenant visible to the caller (narrowed by project and name), oldest first.' })
  async experimentTemplates(
    @Arg('tenant') tenant: string,
    @Arg('project', () => String, { nullable: true }) project: string | null,
    @Arg('name', () => String, { nullable: true }) name: string | null,
    @Ctx() ctx: ExperimentsContext,
  ): Promise<TemplateVersionType[]> {
    return (await new TemplateService(ctx.em, ctx.principal).versions(tenant, project ?? null, name ?? null)).map(toType);
  }
}

@Resolver(() => ExperimentType)
export class ExperimentTemplateResolver {
  @FieldResolver(() => TemplateRefType, { nullable: true, description: 'The template version the spec was resolved from; null when it extends none.' })
  async template(@Root() e: ExperimentType, @Ctx() ctx: ExperimentsContext): Promise<TemplateRefType | null> {
    const exp = await ctx.experiments.get(e.id); // tenant-filtered
    if (!exp?.templateName || exp.templateVersion === null || !exp.templateHash) return null;
    return { name: exp.templateName, version: exp.templateVersion, hash: exp.templateHash.trim() };
  }
}
