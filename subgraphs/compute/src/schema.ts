import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema, type ReferenceResolvers } from '@fairsweep/service-kit';
import { DecisionResolver } from './modules/decision/decision.resolver.js';
import { PoolResolver } from './modules/pool/pool.resolver.js';
import { PoolQueueSubscriptionResolver } from './modules/pool/pool-queue.subscription.js';
import { QueueResolver } from './modules/queue/queue.resolver.js';
import { PriorityResolver } from './modules/queue/priority.resolver.js';
import { resolveTenantReference } from './modules/usage/tenant.reference.js';
import { TenantUsageResolver } from './modules/usage/tenant.resolver.js';
import { TenantType } from './modules/usage/tenant.type.js';
import { TenantQuotaSubscriptionResolver } from './modules/usage/tenant-quota.subscription.js';
import { ProjectBudgetResolver } from './modules/usage/project.resolver.js';
import { resolveProjectReference } from './modules/usage/project.reference.js';
import { ProjectRefType } from './modules/usage/project.type.js';
import { CohortBalanceResolver, resolveCohortReference } from './modules/usage/cohort.resolver.js';
import { CohortRefType } from './modules/usage/cohort.type.js';
import { ExperimentEstimateResolver, resolveExperimentReference } from './modules/eta/experiment.resolver.js';
import { ExperimentRefType } from './modules/eta/experiment.type.js';

/** type-graphql insists on a PubSub when a schema has subscriptions; ours bring their own iterators. */
const noPubSub = {
  publish: () => undefined,
  subscribe: (): AsyncIterable<unknown> => {
    throw new Error('compute subscriptions define their own subscribe function');
  },
};

export function buildComputeSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: [TenantUsageResolver, PoolResolver, QueueResolver, PriorityResolver, DecisionResolver, TenantQuotaSubscriptionResolver, PoolQueueSubscriptionResolver, ExperimentEstimateResolver, ProjectBudgetResolver, CohortBalanceResolver], orphanedTypes: [TenantType, ExperimentRefType, ProjectRefType, CohortRefType], pubSub: noPubSub },
    { Tenant: resolveTenantReference, Experiment: resolveExperimentReference, Project: resolveProjectReference, Cohort: resolveCohortReference } as ReferenceResolvers,
  );
}
