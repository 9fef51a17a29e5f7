import type { RequestBase } from '@fairsweep/service-kit';
import { createExperimentLoaders, type ExperimentLoaders } from './modules/experiment/experiment.loaders.js';
import { ExperimentService } from './modules/experiment/experiment.service.js';

export interface ExperimentsContext extends RequestBase {
  loaders: ExperimentLoaders;
  experiments: ExperimentService;
}

export function createExperimentsContext(base: RequestBase): ExperimentsContext {
  return { ...base, loaders: createExperimentLoaders(base.em), experiments: new ExperimentService(base.em, base.principal) };
}
