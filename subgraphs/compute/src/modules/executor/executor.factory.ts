import type { Executor } from '@fairsweep/sdk';
import { createLocalExecutor } from '@fairsweep/executor-local';
import { createSlurmExecutor } from '@fairsweep/executor-slurm';
import { slurmAccountFor, slurmQosFor, type ExecutorSettings } from './executor.settings.js';

export interface PoolExecutorOptions {
  workRoot: string;
  gpuIds?: string[];
  gracePeriodMs: number;
  hostEnv: Record<string, string>;
}

/** The executor a pool's settings name (default: local), configured for this compute process. */
export function createPoolExecutor(settings: ExecutorSettings | undefined, o: PoolExecutorOptions): Executor {
  if (!settings || settings.kind === 'local') {
    return createLocalExecutor({
      workRoot: o.workRoot, gpuIds: o.gpuIds, gracePeriodMs: o.gracePeriodMs, hostEnv: o.hostEnv,
      ...(settings?.cgroupParent !== undefined ? { cgroupParent: settings.cgroupParent } : {}),
      ...(settings?.nvidiaSmi !== undefined ? { nvidiaSmi: settings.nvidiaSmi } : {}),
    });
  }
  return createSlurmExecutor({
    workRoot: o.workRoot,
    gracePeriodMs: o.gracePeriodMs,
    hostEnv: o.hostEnv,
    partition: settings.partition,
    accountFor: (tenant) => slurmAccountFor(settings, tenant),
    qosFor: (priority) => slurmQosFor(settings, priority),
    ...(settings.slurmConf ? { slurmConf: settings.slurmConf } : {}),
    ...(settings.pollIntervalMs ? { pollIntervalMs: settings.pollIntervalMs } : {}),
    ...(settings.sbatchArgs ? { sbatchArgs: settings.sbatchArgs } : {}),
  });
}
