import { runMain, serviceConfigFromEnv } from '@fairsweep/service-kit';
import { EXPERIMENTS_DEFAULT_PORT, startExperiments, strategyPluginsFromEnv } from './index.js';

runMain('experiments', () => startExperiments({ ...serviceConfigFromEnv(EXPERIMENTS_DEFAULT_PORT), strategyPlugins: strategyPluginsFromEnv() }));
