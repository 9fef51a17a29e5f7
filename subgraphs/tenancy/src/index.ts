import 'reflect-metadata';
import { startSubgraphService, type RunningService, type ServiceConfig, type SubgraphDefinition } from '@fairsweep/service-kit';
import { createTenancyContext, type TenancyContext } from './context.js';
import { migrations } from './migrations/index.js';
import { CohortPolicyVersionEntity } from './modules/cohort/cohort-policy-version.entity.js';
import { ProjectEntity } from './modules/project/project.entity.js';
import { QuotaVersionEntity } from './modules/quota/quota-version.entity.js';
import { ProjectQuotaVersionEntity } from './modules/quota/project-quota-version.entity.js';
import { MemberEntity, TenantEntity } from './modules/tenant/tenant.entity.js';
import { buildTenancySchema } from './schema.js';

export { buildTenancySchema };
export const TENANCY_DEFAULT_PORT = 4001;

export const tenancySubgraph: SubgraphDefinition<TenancyContext> = {
  name: 'tenancy',
  entities: [TenantEntity, MemberEntity, ProjectEntity, QuotaVersionEntity, ProjectQuotaVersionEntity, CohortPolicyVersionEntity],
  migrations,
  buildSchema: buildTenancySchema,
  createContext: (base) => createTenancyContext(base),
};

/** Starts the tenancy subgraph: tenants, projects, members and versioned quotas. */
export function startTenancy(config: ServiceConfig): Promise<RunningService> {
  return startSubgraphService(tenancySubgraph, config);
}
