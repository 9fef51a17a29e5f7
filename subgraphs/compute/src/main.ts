import { runMain } from '@fairsweep/service-kit';
import { computeConfigFromEnv, startCompute } from './index.js';

// async: a configuration error is reported as "compute failed to start: …", not a stack dump.
runMain('compute', async () => startCompute(computeConfigFromEnv()));
