import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeExecutorConformance } from '@fairsweep/sdk';
import { createLocalExecutor } from './local.executor.js';

describeExecutorConformance(
  'local',
  () => createLocalExecutor({ workRoot: mkdtempSync(join(tmpdir(), 'fs-local-kit-')), gracePeriodMs: 2000 }),
  { timeoutMs: 15000, stopSlackMs: 1000 },
);
