import { join, resolve } from 'node:path';
import { FsArtifactBackend } from './backend/fs.backend.js';
import type { ArtifactStorage } from './artifact.store.js';

export interface ArtifactConfig {
  /** Root of the filesystem artifact store. FAIRSWEEP_ARTIFACT_DIR, default `<FAIRSWEEP_DATA_DIR or .fairsweep>/artifacts`. */
  artifactRoot?: string;
  /** Where datasets are materialised for trials. FAIRSWEEP_DATASET_CACHE_DIR, default `<artifactRoot>/dataset-cache`. */
  datasetCacheRoot?: string;
}

/** The filesystem store from explicit settings, then the environment, then the platform's data dir. */
export function artifactStorageFrom(config: ArtifactConfig, env: NodeJS.ProcessEnv = process.env): ArtifactStorage {
  const root = resolve(config.artifactRoot ?? env.FAIRSWEEP_ARTIFACT_DIR ?? join(env.FAIRSWEEP_DATA_DIR ?? '.fairsweep', 'artifacts'));
  const cacheRoot = resolve(config.datasetCacheRoot ?? env.FAIRSWEEP_DATASET_CACHE_DIR ?? join(root, 'dataset-cache'));
  return { backend: new FsArtifactBackend(root), cacheRoot };
}
