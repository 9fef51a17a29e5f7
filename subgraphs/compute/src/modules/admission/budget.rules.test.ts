import { admit, type AdmissionSnapshot, type ProjectQuota, type QueuedRun, type TenantQuota } from './admission.js';

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

  it('decay budgets: the same rules over decayed use, and reasons that name the half-life', () => {
    const fading = quota({ budgetSafeMode: false, budgetHalfLifeHours: 168 });
    expect(admit(snap(fading, [gpuRun('u', null)], 1.2)).pending[0]!.reason).toBe('tenant t GPU-hour budget: 1.2/1 used (decayed, half-life 168 h)');
    expect(admit(snap(fading, [gpuRun('u', null)], 0.9)).admitted).toHaveLength(1);
    expect(admit(snap(quota({ budgetHalfLifeHours: 12 }), [gpuRun('big', 3600, 2)])).rejected[0]!.reason)
      .toBe('needs up to 2 GPU-hours (2 GPUs × 3600 s); tenant t budget (quota v3) is 1 GPU-hours of decayed use (half-life 12 h)');
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

describe('project GPU-hour budgets (on top of the tenant budget)', () => {
  const run = (id: string, r: Partial<QueuedRun> = {}): QueuedRun => ({
    trialId: id, tenant: 't', project: 'vision', trialIndex: 0, cpus: 1, gpus: 1, memoryMb: 1, enqueuedAt: new Date(t0 + Number(id.replace(/\D/g, '') || 0)), maxRuntimeSeconds: 1800, ...r,
  });
  const project = (q: Partial<ProjectQuota> = {}): Map<string, ProjectQuota> => new Map([['t/vision', { version: 2, gpuHoursBudget: 1, ...q }]]);
  const account = (consumed = 0, committed = 0) => new Map([['t/vision', { consumedGpuHours: consumed, committedGpuHours: committed }]]);
  const psnap = (queue: QueuedRun[], s: Partial<AdmissionSnapshot> = {}): AdmissionSnapshot => ({
    pool, allocations: [], quotas: new Map([['t', quota({ gpuHoursBudget: null })]]), queue, projectQuotas: project(), projectBudgets: account(), ...s,
  });
  const reasons = (s: AdmissionSnapshot) => Object.fromEntries(admit(s).pending.map((p) => [p.trialId, p.reason]));

  it('safe mode: admits while the worst case fits what is left of the project budget, counting runs admitted in the same cycle', () => {
    const out = admit(psnap([run('a1'), run('a2'), run('a3')]));
    expect(out.admitted.map((a) => [a.trialId, a.projectQuotaVersion])).toEqual([['a1', 2], ['a2', 2]]);
    expect(out.pending).toEqual([{
      trialId: 'a3', tenant: 't', quotaVersion: 3,
      reason: 'PROJECT_GPU_BUDGET_INSUFFICIENT: project vision GPU-hour budget (v2, safe mode): requested 0.5 GPU-hours, remaining 0 of 1 (0 used, 1 committed to running trials)',
    }]);
  });

  it('safe mode: counts consumption and what running attempts may still use; a run that fits starts', () => {
    expect(reasons(psnap([run('a1')], { projectBudgets: account(0.4, 0.2) }))).toEqual({
      a1: 'PROJECT_GPU_BUDGET_INSUFFICIENT: project vision GPU-hour budget (v2, safe mode): requested 0.5 GPU-hours, remaining 0.4 of 1 (0.4 used, 0.2 committed to running trials)',
    });
    expect(admit(psnap([run('a1', { maxRuntimeSeconds: 1440 })], { projectBudgets: account(0.4, 0.2) })).admitted).toHaveLength(1); // 0.4 fits 0.4
  });

  it('safe mode: a run larger than the whole budget, or without a maximum runtime, waits (not rejected) with its own code', () => {
    const out = admit(psnap([run('a1', { gpus: 2, maxRuntimeSeconds: 3600 }), run('a2', { maxRuntimeSeconds: null })]));
    expect(out.rejected).toEqual([]);
    expect(Object.fromEntries(out.pending.map((p) => [p.trialId, p.reason]))).toEqual({
      a1: 'PROJECT_GPU_BUDGET_TOO_SMALL: project vision GPU-hour budget (v2, safe mode): requested 2 GPU-hours, remaining 1 of 1 (0 used, 0 committed to running trials); '
        + 'more than the whole budget of a period: waits until it is raised',
      a2: 'PROJECT_GPU_BUDGET_NEEDS_MAX_RUNTIME: project vision GPU-hour budget (v2, safe mode): requested unbounded (no trial.maxRuntimeSeconds), remaining 1 of 1 '
        + '(0 used, 0 committed to running trials); waits until the project budget leaves safe mode or is removed',
    });
  });

  it('without safe mode: starts GPU runs while any project budget is left, none once it is spent', () => {
    const loose = project({ budgetSafeMode: false });
    expect(admit(psnap([run('a1', { maxRuntimeSeconds: null }), run('a2', { gpus: 4, maxRuntimeSeconds: 36000 })], { projectQuotas: loose, projectBudgets: account(0.99, 5) })).admitted)
      .toHaveLength(2);
    expect(reasons(psnap([run('a1', { maxRuntimeSeconds: null }), run('a2')], { projectQuotas: loose, projectBudgets: account(1.25) }))).toEqual({
      a1: 'PROJECT_GPU_BUDGET_SPENT: project vision GPU-hour budget (v2): requested unbounded (no trial.maxRuntimeSeconds), remaining 0 of 1 (1.25 used, 0 committed to running trials); '
        + 'no GPU trial of the project starts until the budget period resets',
      a2: 'PROJECT_GPU_BUDGET_SPENT: project vision GPU-hour budget (v2): requested 0.5 GPU-hours, remaining 0 of 1 (1.25 used, 0 committed to running trials); '
        + 'no GPU trial of the project starts until the budget period resets',
    });
  });

  it('decay budgets name their half-life instead of a period', () => {
    const fading = project({ budgetSafeMode: false, budgetHalfLifeHours: 24 });
    expect(reasons(psnap([run('a1')], { projectQuotas: fading, projectBudgets: account(1.25) }))).toEqual({
      a1: 'PROJECT_GPU_BUDGET_SPENT: project vision GPU-hour budget (v2): requested 0.5 GPU-hours, remaining 0 of 1 (1.25 used, 0 committed to running trials); '
        + 'no GPU trial of the project starts until decayed use falls below the budget',
    });
    expect(reasons(psnap([run('a1', { gpus: 2, maxRuntimeSeconds: 3600 })], { projectQuotas: project({ budgetHalfLifeHours: 24 }) }))).toEqual({
      a1: 'PROJECT_GPU_BUDGET_TOO_SMALL: project vision GPU-hour budget (v2, safe mode): requested 2 GPU-hours, remaining 1 of 1 (0 used, 0 committed to running trials); '
        + 'more than the whole budget: waits until it is raised',
    });
  });

  it('both budgets apply: each gives its reason; other projects, CPU-only runs and the same slug in another tenant start', () => {
    const tenants = new Map([['t', quota({ gpuHoursBudget: 10 })], ['u', quota({ gpuHoursBudget: null })]]);
    const cpu = run('a4', { gpus: 0, maxRuntimeSeconds: null });
    const s = psnap([run('a1'), run('a2', { project: 'nlp' }), run('a3', { tenant: 'u' }), cpu], {
      quotas: tenants, projectBudgets: account(0.8), budgets: new Map([['t', { consumedGpuHours: 9.9, committedGpuHours: 0 }]]),
    });
    expect(reasons(s)).toEqual({
      a1: 'PROJECT_GPU_BUDGET_INSUFFICIENT: project vision GPU-hour budget (v2, safe mode): requested 0.5 GPU-hours, remaining 0.2 of 1 (0.8 used, 0 committed to running trials); '
        + 'tenant t GPU-hour budget: 9.9/10 used, 0 committed to running trials, 0.5 requested (safe mode)',
      a2: 'tenant t GPU-hour budget: 9.9/10 used, 0 committed to running trials, 0.5 requested (safe mode)',
    });
    expect(admit(s).admitted.map((a) => a.trialId).sort()).toEqual(['a3', 'a4']);
    // A project budget larger than the tenant's: the tenant's still holds the run back.
    const big = psnap([run('a1')], { quotas: new Map([['t', quota({ gpuHoursBudget: 0.25 })]]), projectQuotas: project({ gpuHoursBudget: 100 }) });
    expect(reasons(big)).toEqual({}); // 0.5 > the tenant's whole 0.25: rejected by the tenant budget instead
    expect(admit(big).rejected[0]!.reason).toBe('needs up to 0.5 GPU-hours (1 GPUs × 1800 s); tenant t budget (quota v3) is 0.25 GPU-hours per period');
    // A tight project budget holds back a run the tenant budget would admit.
    expect(reasons(psnap([run('a1')], { quotas: new Map([['t', quota({ gpuHoursBudget: 100 })]]), projectBudgets: account(0.9) }))).toEqual({
      a1: 'PROJECT_GPU_BUDGET_INSUFFICIENT: project vision GPU-hour budget (v2, safe mode): requested 0.5 GPU-hours, remaining 0.1 of 1 (0.9 used, 0 committed to running trials)',
    });
  });

  it('a run held back by its project budget neither preempts nor reserves', () => {
    const s = psnap([run('a1', { priority: 'critical' })], {
      pool: { ...pool, gpus: 1, gpuIds: ['0'] },
      quotas: new Map([['t', quota({ gpuHoursBudget: null, priorityClasses: ['critical', 'standard', 'preemptible'] })], ['low', quota()]]),
      allocations: [{ tenant: 'low', pool: 'p', cpus: 1, gpus: 1, memoryMb: 1, devices: ['0'], priority: 'preemptible', attemptId: 'x', runtimeSec: 1000 }],
      projectBudgets: account(1),
    });
    const out = admit(s);
    expect(out.preempted).toEqual([]);
    expect(out.reservations).toEqual([]);
    expect(out.pending[0]!.reason).toMatch(/^PROJECT_GPU_BUDGET_INSUFFICIENT: .*; pool p: gpus 0 free, 1 requested$/);
    expect(admit({ ...s, projectBudgets: account(0) }).preempted.map((p) => p.attemptId)).toEqual(['x']); // with budget left it would
  });

  it('never commits more than the project budget in safe mode, over random queues of several projects', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 300; i++) {
      const budget = Math.round(rand() * 40) / 4;
      const consumed = rand() * budget;
      const committed = rand() * (budget - consumed);
      const queue = Array.from({ length: 12 }, (_, k) => run(`r${k}`, { project: rand() < 0.7 ? 'vision' : 'nlp', gpus: 1 + Math.floor(rand() * 2), maxRuntimeSeconds: Math.ceil(rand() * 7200) }));
      const out = admit(psnap(queue, { projectQuotas: project({ gpuHoursBudget: budget }), projectBudgets: account(consumed, committed) }));
      const byId = new Map(queue.map((r) => [r.trialId, r]));
      const added = out.admitted.map((a) => byId.get(a.trialId)!).filter((r) => r.project === 'vision').reduce((sum, r) => sum + (r.gpus * r.maxRuntimeSeconds!) / 3600, 0);
      expect(consumed + committed + added).toBeLessThanOrEqual(budget + 1e-9);
      // Project nlp has no budget: its runs wait only for GPUs (8 in the quota and the pool), never for vision's budget.
      expect(out.pending.filter((p) => byId.get(p.trialId)!.project === 'nlp' && /GPU_BUDGET/.test(p.reason))).toEqual([]);
      expect(out.pending.filter((p) => byId.get(p.trialId)!.project === 'vision').every((p) => /GPU_BUDGET|gpus \d+ free/.test(p.reason))).toBe(true);
    }
  });
});
