import { randomUUID } from 'node:crypto';
import { TOPICS } from '@fairsweep/service-kit';
import { claimsFor, eventually, signedRequest, TEST_SECRET } from '@fairsweep/service-kit/testing';
import { computeConfigFromEnv } from './config.js';
import { poolHardware } from './modules/pool/pool.store.js';
import { ComputeHarness, SHORT_TRIAL } from './testing-internal/compute-harness.js';

/** A pool declares its device type and throughput factor; every attempt's start carries them. */
describe('compute: declared pool hardware', () => {
  let h: ComputeHarness;
  afterAll(async () => {
    await h?.close();
  });

  it('announces the pool\'s device type and throughput factor (and the executor and quota version) with each attempt and shows them on the pool', async () => {
    h = await ComputeHarness.create();
    const svc = await h.start({ pool: { name: 'fast', cpus: 4, gpus: 0, memoryMb: 4096, deviceType: 'a100-80gb', throughputFactor: 2.5 } });
    await h.setQuota('alpha', 1, { cpus: 4, concurrentTrials: 2 });
    await h.createTrials('alpha', randomUUID(), 2, SHORT_TRIAL, { cpus: 1, gpus: 0, memoryMb: 64 });
    const started = await eventually(async () => {
      const e = await h.events(TOPICS.trialStarted, 'alpha');
      return e.length === 2 && e;
    }, 15_000);
    expect(started.map((e) => [e.payload.pool, e.payload.deviceType, e.payload.throughputFactor])).toEqual([['fast', 'a100-80gb', 2.5], ['fast', 'a100-80gb', 2.5]]);
    // With them, what provenance needs of the attempt: the executor plugin and the quota version it was admitted under.
    expect(started[0]!.payload).toMatchObject({ executor: { name: 'local', version: expect.stringMatching(/^\d+\.\d+\.\d+$/) }, quotaVersion: 1, gpus: [], notes: expect.any(Array) });
    const res = await signedRequest<{ pools: unknown[] }>(svc.url, TEST_SECRET, claimsFor.member('alpha', 'viewer'), '{ pools { name deviceType throughputFactor } }');
    expect(res.data!.pools).toEqual([{ name: 'fast', deviceType: 'a100-80gb', throughputFactor: 2.5 }]);
  });

  it('reads FAIRSWEEP_POOL_DEVICE_TYPE and FAIRSWEEP_POOL_THROUGHPUT_FACTOR, and refuses bad values by name', () => {
    const env = { DATABASE_URL: 'postgres://u:p@h:5432/d', FAIRSWEEP_UPSTREAM_SECRET: 'x'.repeat(32), FAIRSWEEP_POOL_GPUS: '0', FAIRSWEEP_POOL_DEVICE_TYPE: 'h200', FAIRSWEEP_POOL_THROUGHPUT_FACTOR: '3' };
    expect(computeConfigFromEnv(env).pool).toMatchObject({ deviceType: 'h200', throughputFactor: 3 });
    expect(computeConfigFromEnv({ ...env, FAIRSWEEP_POOL_DEVICE_TYPE: '', FAIRSWEEP_POOL_THROUGHPUT_FACTOR: '' }).pool).not.toHaveProperty('deviceType');
    expect(() => computeConfigFromEnv({ ...env, FAIRSWEEP_POOL_THROUGHPUT_FACTOR: 'fast' })).toThrow('FAIRSWEEP_POOL_THROUGHPUT_FACTOR must be a number >= 0, got "fast"');
    expect(() => poolHardware({ name: 'p', cpus: 1, gpus: 0, memoryMb: 1, throughputFactor: 0 })).toThrow('pool.throughputFactor must be a number > 0 and <= 1000');
    expect(() => poolHardware({ name: 'p', cpus: 1, gpus: 0, memoryMb: 1, deviceType: 'A100 80GB' })).toThrow('pool.deviceType "A100 80GB" must be 1-64 lower-case');
    expect(poolHardware({ name: 'p', cpus: 1, gpus: 0, memoryMb: 1 })).toEqual({ deviceType: null, throughputFactor: null });
  });
});
