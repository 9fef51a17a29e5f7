import type { RequestBase } from '@fairsweep/service-kit';
import { createExperimentLoaders, type ExperimentLoaders } from './modules/experiment/experiment.loaders.js';
import { ExperimentService } from './modules/experiment/experiment.service.js';
import { artifactStorageFrom } from './modules/artifact/artifact.config.js';
import { ArtifactService } from './modules/artifact/artifact.service.js';
import type { ArtifactStorage } from './modules/artifact/artifact.store.js';
import { DatasetService } from './modules/artifact/dataset.service.js';

export interface ExperimentsContext extends RequestBase {
  loaders: ExperimentLoaders;
  experiments: ExperimentService;
  artifacts: ArtifactService;
  datasets: DatasetService;
  /**
   * Starts a fresh unit of work (EntityManager fork, loaders, services). A subscription keeps one
   * context for its whole life; it calls this per event so each event reads current rows.
   */
  refresh(): void;
}

export function createExperimentsContext(base: RequestBase, storage: ArtifactStorage = artifactStorageFrom({})): ExperimentsContext {
  const ctx: ExperimentsContext = {
    ...base,
    loaders: createExperimentLoaders(base.em),
    experiments: new ExperimentService(base.em, base.principal),
    artifacts: new ArtifactService(base.em, base.principal, storage),
    datasets: new DatasetService(base.em, base.principal, storage),
    refresh: () => {
      ctx.em = base.em.fork();
      ctx.loaders = createExperimentLoaders(ctx.em);
      ctx.experiments = new ExperimentService(ctx.em, base.principal);
      ctx.artifacts = new ArtifactService(ctx.em, base.principal, storage);
      ctx.datasets = new DatasetService(ctx.em, base.principal, storage);
    },
  };
  return ctx;
}
