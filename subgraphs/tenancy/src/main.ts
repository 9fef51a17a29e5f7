import { runMain, serviceConfigFromEnv } from '@fairsweep/service-kit';
import { startTenancy, TENANCY_DEFAULT_PORT } from './index.js';

runMain('tenancy', () => startTenancy(serviceConfigFromEnv(TENANCY_DEFAULT_PORT)));
