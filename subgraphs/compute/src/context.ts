import type { RequestBase } from '@fairsweep/service-kit';
import { createUsageLoaders, type UsageLoaders } from './modules/usage/usage.loaders.js';

export interface ComputeContext extends RequestBase {
  loaders: UsageLoaders;
}

export function createComputeContext(base: RequestBase): ComputeContext {
  return { ...base, loaders: createUsageLoaders(base.em) };
}
