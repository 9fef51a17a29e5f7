import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema, type ReferenceResolvers } from '@fairsweep/service-kit';
import { ExperimentResolver, TenantExperimentsResolver } from './modules/experiment/experiment.resolver.js';
import { ProgressResolver } from './modules/progress/progress.resolver.js';
import { TrialResolver } from './modules/trial/trial.resolver.js';
import { experimentsReferences } from './references.js';

export function buildExperimentsSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: [ExperimentResolver, TenantExperimentsResolver, TrialResolver, ProgressResolver] },
    experimentsReferences as unknown as ReferenceResolvers,
  );
}
