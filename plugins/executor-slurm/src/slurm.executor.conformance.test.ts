import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeExecutorConformance } from '@fairsweep/sdk';
import { createSlurmExecutor } from './slurm.executor.js';

let workRoot = '';
const executorOn = (root: string) => createSlurmExecutor({
  workRoot: root,
  pollIntervalMs: 200,
  gracePeriodMs: 2000,
  accountFor: (tenant) => tenant,
});

describeExecutorConformance(
  'slurm',
  () => executorOn((workRoot = mkdtempSync(join(tmpdir(), 'fs-slurm-kit-')))),
  // A restart: a new executor on the detached one's workRoot re-attaches by the recorded job id.
  { timeoutMs: 30000, stopSlackMs: 8000, launch: { tenant: 'acme' }, recreate: () => executorOn(workRoot) },
);
