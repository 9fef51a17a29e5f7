import type { RequestBase } from '@fairsweep/service-kit';
import { createExperimentLoaders, type ExperimentLoaders } from './modules/experiment/experiment.loaders.js';
import { ExperimentService } from './modules/experiment/experiment.service.js';

export interface ExperimentsContext extends RequestBase {
  loaders: ExperimentLoaders;
  experiments: ExperimentService;
  /**
   * Starts a fresh unit of work (EntityManager fork, loaders, services). A subscription keeps one
   * context for its whole life; it calls this per event so each event reads current rows.
   */
  refresh(): void;
}

export function createExperimentsContext(base: RequestBase): ExperimentsContext {
  const ctx: ExperimentsContext = {
    ...base,
    loaders: createExperimentLoaders(base.em),
    experiments: new ExperimentService(base.em, base.principal),
    refresh: () => {
      ctx.em = base.em.fork();
      ctx.loaders = createExperimentLoaders(ctx.em);
      ctx.experiments = new ExperimentService(ctx.em, base.principal);
    },
  };
  return ctx;
}
