import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema, type ReferenceResolvers } from '@fairsweep/service-kit';
import { CompareResolver } from './modules/compare/compare.resolver.js';
import {
  ArtifactResolver, ExperimentArtifactsResolver, ProvenanceArtifactsResolver, TenantStorageResolver, TrialArtifactsResolver,
} from './modules/artifact/artifact.resolver.js';
import { DatasetResolver } from './modules/artifact/dataset.resolver.js';
import { ExperimentResolver, TenantExperimentsResolver } from './modules/experiment/experiment.resolver.js';
import { LineageResolver } from './modules/lineage/lineage.resolver.js';
import { ProgressResolver } from './modules/progress/progress.resolver.js';
import { ProvenanceResolver } from './modules/provenance/provenance.resolver.js';
import { ReplayResolver } from './modules/replay/replay.resolver.js';
import { TrialResolver } from './modules/trial/trial.resolver.js';
import { experimentsReferences } from './references.js';
import { StrategyResolver } from './modules/sweep/strategy.resolver.js';
import { ExperimentTemplateResolver, TemplateResolver } from './modules/template/template.resolver.js';
import { ExperimentBudgetResolver } from './modules/budget/budget.resolver.js';
import { PruneResolver } from './modules/prune/prune.resolver.js';

export function buildExperimentsSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: [ExperimentResolver, TenantExperimentsResolver, TrialResolver, ProgressResolver, ReplayResolver, ProvenanceResolver, LineageResolver, StrategyResolver, PruneResolver, CompareResolver,
      ArtifactResolver, TenantStorageResolver, ExperimentArtifactsResolver, TrialArtifactsResolver, ProvenanceArtifactsResolver, DatasetResolver,
      TemplateResolver, ExperimentTemplateResolver, ExperimentBudgetResolver] },
    experimentsReferences as unknown as ReferenceResolvers,
  );
}
