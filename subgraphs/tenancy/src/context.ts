import type { RequestBase } from '@fairsweep/service-kit';
import { TenancyService } from './modules/tenant/tenancy.service.js';
import { ProjectQuotaService } from './modules/project/project-quota.service.js';
import { CohortPolicyService } from './modules/cohort/cohort-policy.service.js';
import { createTenancyLoaders, type TenancyLoaders } from './modules/tenant/tenancy.loaders.js';

export interface TenancyContext extends RequestBase {
  loaders: TenancyLoaders;
  tenancy: TenancyService;
  projectQuotas: ProjectQuotaService;
  cohortPolicies: CohortPolicyService;
}

export function createTenancyContext(base: RequestBase): TenancyContext {
  return {
    ...base,
    loaders: createTenancyLoaders(base.em),
    tenancy: new TenancyService(base.em, base.principal),
    projectQuotas: new ProjectQuotaService(base.em, base.principal),
    cohortPolicies: new CohortPolicyService(base.em, base.principal),
  };
}
