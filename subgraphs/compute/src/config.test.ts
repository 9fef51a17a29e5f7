import os from 'node:os';
import { resolve } from 'node:path';
import { computeConfigFromEnv } from './config.js';
import { computeSubgraph } from './index.js';
import { poolCapacity } from './modules/pool/pool.store.js';

const base = { DATABASE_URL: 'postgres://u:p@h:5432/d', FAIRSWEEP_UPSTREAM_SECRET: 'x'.repeat(32) };

describe('computeConfigFromEnv', () => {
  it('defaults to the host: all cpus, no gpus, 80% of memory, ./.fairsweep/work, port 4003', () => {
    const c = computeConfigFromEnv(base);
    expect(c.port).toBe(4003);
    expect(c.pool).toEqual({ name: 'local', cpus: os.cpus().length, gpus: 0, memoryMb: Math.floor((os.totalmem() * 0.8) / 1024 / 1024) });
    expect(c.workRoot).toBe(resolve('./.fairsweep/work'));
  });

  it('reads the FAIRSWEEP_POOL_* and FAIRSWEEP_WORK_DIR variables', () => {
    const c = computeConfigFromEnv({ ...base, FAIRSWEEP_POOL_CPUS: '2.5', FAIRSWEEP_POOL_GPU_IDS: '0, 3', FAIRSWEEP_POOL_MEMORY_MB: '1024', FAIRSWEEP_WORK_DIR: '/tmp/w' });
    expect(c.pool).toEqual({ name: 'local', cpus: 2.5, gpus: 2, memoryMb: 1024, gpuIds: ['0', '3'] });
    expect(c.workRoot).toBe('/tmp/w');
  });

  it('selects the executor (local by default) and whether a stop detaches from running trials', () => {
    expect(computeConfigFromEnv(base)).toMatchObject({ executorSettings: { kind: 'local' }, detachOnStop: false });
    const c = computeConfigFromEnv({ ...base, FAIRSWEEP_EXECUTOR: 'slurm', FAIRSWEEP_SLURM_ACCOUNTS: 'acme=fs-acme', FAIRSWEEP_DETACH_ON_STOP: '1' });
    expect(c).toMatchObject({ executorSettings: { kind: 'slurm', accounts: { acme: 'fs-acme' } }, detachOnStop: true });
    expect(() => computeConfigFromEnv({ ...base, FAIRSWEEP_EXECUTOR: 'slurm' })).toThrow(/^FAIRSWEEP_EXECUTOR=slurm needs a Slurm account per tenant/);
  });

  it('names the invalid variable', () => {
    expect(() => computeConfigFromEnv({ ...base, FAIRSWEEP_POOL_GPUS: '1.5' })).toThrow('FAIRSWEEP_POOL_GPUS must be an integer >= 0, got "1.5"');
    expect(() => poolCapacity({ name: 'local', cpus: 1, gpus: 1, memoryMb: 1, gpuIds: ['0', '1'] })).toThrow('pool.gpuIds lists 2 devices but pool.gpus is 1');
  });

  it('reads the scheduler settings: fair share, preemption, GPU type preference and pool retention', () => {
    expect(computeConfigFromEnv(base).fairShare).toEqual({
      halfLifeSeconds: 7 * 24 * 3600, historyWeight: 0.5, minRuntimeBeforePreemptSec: 60, borrowBackoffSec: 30, preferFlavorForSec: 60, poolRetentionHours: 24, gpuFlavorOrder: [],
    });
    const c = computeConfigFromEnv({ ...base, FAIRSWEEP_PREFER_GPU_TYPE_SECONDS: '0', FAIRSWEEP_POOL_RETENTION_HOURS: '0.5' });
    expect(c.fairShare).toMatchObject({ preferFlavorForSec: 0, poolRetentionHours: 0.5 });
    expect(() => computeConfigFromEnv({ ...base, FAIRSWEEP_POOL_RETENTION_HOURS: '0' })).toThrow('FAIRSWEEP_POOL_RETENTION_HOURS must be > 0, got 0');
    expect(() => computeConfigFromEnv({ ...base, FAIRSWEEP_PREFER_GPU_TYPE_SECONDS: 'soon' })).toThrow('FAIRSWEEP_PREFER_GPU_TYPE_SECONDS must be a number >= 0, got "soon"');
    expect(computeConfigFromEnv({ ...base, FAIRSWEEP_GPU_FLAVOR_ORDER: 'h100,a100' }).fairShare?.gpuFlavorOrder).toEqual(['h100', 'a100']);
    expect(() => computeConfigFromEnv({ ...base, FAIRSWEEP_GPU_FLAVOR_ORDER: 'h100,h100' })).toThrow('FAIRSWEEP_GPU_FLAVOR_ORDER: "h100" is listed twice');
  });

  it('estimates ETAs with the process\'s own admission interval and scheduler settings (request context)', () => {
    const c = computeConfigFromEnv({ ...base, FAIRSWEEP_FAIRSHARE_HALF_LIFE_HOURS: '2', FAIRSWEEP_POOL_RETENTION_HOURS: '3', FAIRSWEEP_PREFER_GPU_TYPE_SECONDS: '9', FAIRSWEEP_GPU_FLAVOR_ORDER: 'l4' });
    const def = computeSubgraph({ ...c, admissionIntervalMs: 500 });
    const ctx = def.createContext({ em: {} } as never, {} as never) as unknown as { estimate: { cycleSec: number; fairShare: Record<string, number> } };
    expect(ctx.estimate.cycleSec).toBe(0.5);
    expect(ctx.estimate.fairShare).toMatchObject({ halfLifeSeconds: 7200, poolRetentionHours: 3, preferFlavorForSec: 9, minRuntimeBeforePreemptSec: 60, gpuFlavorOrder: ['l4'] });
  });
});
