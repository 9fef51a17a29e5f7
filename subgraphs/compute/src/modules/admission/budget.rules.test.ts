import { admit, type AdmissionSnapshot, type QueuedRun, type TenantQuota } from './admission.js';

const t0 = Date.parse('2030-01-01T00:00:00Z');
const pool = { name: 'p', cpus: 64, gpus: 8, memoryMb: 1e6, gpuIds: ['0', '1', '2', '3', '4', '5', '6', '7'] };
const quota = (q: Partial<TenantQuota> = {}): TenantQuota => ({ version: 3, cpus: 64, gpus: 8, memoryMb: 1e6, concurrentTrials: 100, gpuHoursBudget: 1, ...q });
const gpuRun = (id: string, maxRuntimeSeconds: number | null, gpus = 1, at = 0): QueuedRun => ({
  trialId: id, tenant: 't', trialIndex: at, cpus: 1, gpus, memoryMb: 1, enqueuedAt: new Date(t0 + at), maxRuntimeSeconds,
});
const snap = (q: TenantQuota, queue: QueuedRun[], consumed = 0, committed = 0): AdmissionSnapshot => ({
  pool, allocations: [], quotas: new Map([['t', q]]), queue, budgets: new Map([['t', { consumedGpuHours: consumed, committedGpuHours: committed }]]),
});

describe('GPU-hour budgets', () => {
  it('safe mode admits GPU runs only while their maximum runtime fits what is left', () => {
    const out = admit(snap(quota(), [gpuRun('a', 1800, 1, 0), gpuRun('b', 1800, 1, 1), gpuRun('c', 1800, 1, 2)]));
    expect(out.admitted.map((a) => a.trialId)).toEqual(['a', 'b']);
    expect(out.pending).toEqual([
      { trialId: 'c', tenant: 't', quotaVersion: 3, reason: 'tenant t GPU-hour budget: 0/1 used, 1 committed to running trials, 0.5 requested (safe mode)' },
    ]);
  });

  it('counts consumption and what running attempts may still use', () => {
    const out = admit(snap(quota(), [gpuRun('a', 1800)], 0.4, 0.2));
    expect(out.pending[0]!.reason).toBe('tenant t GPU-hour budget: 0.4/1 used, 0.2 committed to running trials, 0.5 requested (safe mode)');
    expect(admit(snap(quota(), [gpuRun('a', 1800)], 0.3, 0.2)).admitted).toHaveLength(1);
  });

  it('rejects GPU runs that can never fit: unbounded in safe mode, or bigger than the whole budget', () => {
    const out = admit(snap(quota(), [gpuRun('u', null), gpuRun('big', 3600, 2, 1)]));
    expect(out.rejected.map((r) => r.reason)).toEqual([
      'tenant t has a GPU-hour budget in safe mode (quota v3): a GPU trial needs trial.maxRuntimeSeconds',
      'needs up to 2 GPU-hours (2 GPUs × 3600 s); tenant t budget (quota v3) is 1 GPU-hours per period',
    ]);
  });

  it('without safe mode, starts GPU runs while any budget is left and stops once it is used', () => {
    expect(admit(snap(quota({ budgetSafeMode: false }), [gpuRun('u', null)], 0.99)).admitted).toHaveLength(1);
    expect(admit(snap(quota({ budgetSafeMode: false }), [gpuRun('u', null)], 1)).pending[0]!.reason).toBe('tenant t GPU-hour budget: 1/1 used this period');
  });

  it('leaves CPU-only runs and tenants without a budget alone', () => {
    const cpu = { ...gpuRun('cpu', null, 0), gpus: 0 };
    expect(admit(snap(quota(), [cpu], 5)).admitted).toHaveLength(1);
    expect(admit(snap(quota({ gpuHoursBudget: null }), [gpuRun('g', null)])).admitted).toHaveLength(1);
  });

  it('never commits more than the budget in safe mode, over random queues', () => {
    let s = 11;
    const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 300; i++) {
      const budget = Math.round(rand() * 40) / 4;
      const consumed = rand() * budget;
      const committed = rand() * (budget - consumed);
      const queue = Array.from({ length: 12 }, (_, k) => gpuRun(`r${k}`, Math.ceil(rand() * 7200), 1 + Math.floor(rand() * 2), k));
      const out = admit(snap(quota({ gpuHoursBudget: budget }), queue, consumed, committed));
      const byId = new Map(queue.map((r) => [r.trialId, r]));
      const added = out.admitted.reduce((sum, a) => sum + (byId.get(a.trialId)!.gpus * byId.get(a.trialId)!.maxRuntimeSeconds!) / 3600, 0);
      expect(consumed + committed + added).toBeLessThanOrEqual(budget + 1e-9);
    }
  });
});
