import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeExecutorConformance } from '@fairsweep/sdk';
import { createLocalExecutor } from './local.executor.js';

let workRoot = '';

describeExecutorConformance(
  'local',
  () => createLocalExecutor({ workRoot: (workRoot = mkdtempSync(join(tmpdir(), 'fs-local-kit-'))), gracePeriodMs: 2000 }),
  // A restart: a new executor on the detached one's workRoot.
  { timeoutMs: 15000, stopSlackMs: 1000, recreate: () => createLocalExecutor({ workRoot, gracePeriodMs: 2000 }) },
);
