import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeExecutorConformance } from '@fairsweep/sdk';
import { createSlurmExecutor } from './slurm.executor.js';

describeExecutorConformance(
  'slurm',
  () => createSlurmExecutor({
    workRoot: mkdtempSync(join(tmpdir(), 'fs-slurm-kit-')),
    pollIntervalMs: 200,
    gracePeriodMs: 2000,
    accountFor: (tenant) => tenant,
  }),
  { timeoutMs: 30000, stopSlackMs: 8000, launch: { tenant: 'acme' } },
);
