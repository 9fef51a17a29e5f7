import type { RequestBase } from '@fairsweep/service-kit';
import { createUsageLoaders, type UsageLoaders } from './modules/usage/usage.loaders.js';
import { DEFAULT_ESTIMATE, type EstimateSettings } from './modules/eta/eta.reader.js';

export interface ComputeContext extends RequestBase {
  loaders: UsageLoaders;
  /** How this deployment's ETAs are estimated: its admission interval and scheduler settings. */
  estimate: EstimateSettings;
}

export function createComputeContext(base: RequestBase, estimate: EstimateSettings = DEFAULT_ESTIMATE): ComputeContext {
  return { ...base, loaders: createUsageLoaders(base.em), estimate };
}
