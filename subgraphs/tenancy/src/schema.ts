import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema, type ReferenceResolvers } from '@fairsweep/service-kit';
import { TenantResolver } from './modules/tenant/tenant.resolver.js';
import { ProjectResolver } from './modules/project/project.resolver.js';
import { CohortResolver } from './modules/cohort/cohort.resolver.js';
import { resolveTenantReference } from './modules/tenant/tenant.reference.js';
import { resolveProjectReference } from './modules/project/project.reference.js';
import { resolveCohortReference } from './modules/cohort/cohort.reference.js';

export function buildTenancySchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema({ resolvers: [TenantResolver, ProjectResolver, CohortResolver] }, { Tenant: resolveTenantReference, Project: resolveProjectReference, Cohort: resolveCohortReference } as ReferenceResolvers);
}
