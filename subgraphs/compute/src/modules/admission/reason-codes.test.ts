import { explainReason } from './reason-codes.js';

// Reasons as admission writes them (taken from the admission tests); every code at least once.
describe('explainReason: codes and numbers for every reason clause', () => {
  it.each([
    ['pool local: memoryMb 512 MB free, 1024 MB requested', { code: 'POOL_CAPACITY', resource: 'memoryMb', available: 512, requested: 1024 }],
    ['tenant acme quota: cpus 4/4 in use, 1 requested', { code: 'TENANT_QUOTA', resource: 'cpus', inUse: 4, limit: 4, requested: 1 }],
    ['tenant alpha quota: concurrentTrials 2/2 in use', { code: 'CONCURRENCY_CAP', resource: 'concurrentTrials', inUse: 2, limit: 2, requested: 1 }],
    ['tenant a borrowing limit: cpus 5/5 in use (nominal 4), 1 requested', { code: 'BORROWING_LIMIT', resource: 'cpus', inUse: 5, limit: 5, requested: 1 }],
    ['tenant a borrowing limit: gpus of flavor h100 3/3 in use (nominal 2), 1 requested (quota v2)', { code: 'BORROWING_LIMIT', resource: 'gpus', flavor: 'h100', inUse: 3, limit: 3, requested: 1 }],
    ['cohort c: cpus 4 would be borrowed, members lend 3 (and keep 1 unlent as lending headroom)', { code: 'COHORT_LENDING', resource: 'cpus', requested: 4, available: 3 }],
    ['cohort lab: gpus of flavor a100 2 would be borrowed, members lend 1', { code: 'COHORT_LENDING', resource: 'gpus', flavor: 'a100', requested: 2, available: 1 }],
    ['cohort lab: cpus 4 would be borrowed, members lend 4, of which the cohort keeps 1 unlent as its lending headroom (cohort policy v2)',
      { code: 'COHORT_HEADROOM', resource: 'cpus', requested: 4, available: 3, limit: 1 }],
    ['tenant a quota: gpus of flavor h100 2/2 in use, 1 requested (quota v3)', { code: 'FLAVOR_QUOTA', resource: 'gpus', flavor: 'h100', inUse: 2, limit: 2, requested: 1 }],
    ['tenant a quota: no GPUs of flavor l4 (quota v3 lists h100, a100)', { code: 'FLAVOR_QUOTA' }],
    ['project quota: concurrentTrials 1/1 in use in project vision (v2)', { code: 'PROJECT_QUOTA', resource: 'concurrentTrials', inUse: 1, limit: 1, requested: 1 }],
    ['project quota: gpus requested 2, project vision has 1 of 4 left (v2)', { code: 'PROJECT_QUOTA', resource: 'gpus', requested: 2, available: 1, limit: 4 }],
    ['PROJECT_GPU_BUDGET_INSUFFICIENT: project vision GPU-hour budget (v2, safe mode): requested 0.5 GPU-hours, remaining 0.1 of 1 (0.9 used, 0 committed to running trials)',
      { code: 'PROJECT_GPU_BUDGET', resource: 'gpuHours', requested: 0.5, available: 0.1, limit: 1 }],
    ['tenant t GPU-hour budget: 0.9/1 used, 0.05 committed to running trials, 0.5 requested (safe mode)', { code: 'GPU_BUDGET', resource: 'gpuHours', inUse: 0.95, limit: 1, requested: 0.5 }],
    ['needs up to 2 GPU-hours (2 GPUs × 3600 s); tenant t budget (quota v3) is 1 GPU-hours per period', { code: 'GPU_BUDGET', resource: 'gpuHours', requested: 2, limit: 1 }],
    ['preempted 2× before: may borrow again in 20 s (backoff 60 s)', { code: 'BORROW_BACKOFF' }],
    ['waiting for 2 preempted attempt(s) to stop (reclaiming nominal quota)', { code: 'PREEMPTION_PENDING' }],
    ['held back: would delay the reserved start of trial big (critical, tenant a)', { code: 'BACKFILL_HELD' }],
    ['no pool offers GPU type a100 (pools: hopper (h100))', { code: 'ROUTING' }],
    ['waits for pool hpc (slurm, a100): no compute replica of it is running', { code: 'ROUTING' }],
    ['tenant ghost has no quota: nothing is admitted until tenancy publishes one', { code: 'NO_QUOTA' }],
    ['priority critical is not allowed for tenant a (quota v4 allows standard, preemptible)', { code: 'PRIORITY_NOT_ALLOWED' }],
    ['requests 8 cpus; pool p has 4', { code: 'NEVER_FITS', resource: 'cpus', requested: 8, limit: 4 }],
    ['requests 2048 MB memory; tenant a quota (v1) allows 1024 MB', { code: 'NEVER_FITS', resource: 'memoryMb', requested: 2048, limit: 1024 }],
    ['requests 2 gpus of type h100; tenant a quota (v1) allows 1 of flavor h100', { code: 'FLAVOR_QUOTA', resource: 'gpus', requested: 2 }],
    ['requeued after preempted: tenant lab-b reclaims its nominal quota lent to cohort lab', { code: 'REQUEUED' }],
    ['waiting to retry: executor lost the attempt', { code: 'RETRYING' }],
    ['preempted: tenant lab-b reclaims its nominal quota lent to cohort lab', { code: 'RECLAIMED' }],
    ['preempted: preemptible attempt evicted for critical trial t9 of tenant acme', { code: 'PREEMPTED_FOR_CRITICAL' }],
  ])('%s', (reason, expected) => {
    const [first] = explainReason(reason);
    expect(first).toEqual({ text: reason.split('; ')[0] === reason ? reason : first!.text, ...expected });
    expect(explainReason(reason)).toHaveLength(1);
  });

  it('splits several causes, keeps continuations with their clause, and marks reservations', () => {
    const d = explainReason('project quota: gpus requested 1, project vision allows 0 (v2); waits until the limit is raised; pool local: gpus 0 free, 1 requested; start reserved: lower-priority work only backfills around it');
    expect(d.map((x) => x.code)).toEqual(['PROJECT_QUOTA', 'POOL_CAPACITY', 'RESERVED']);
    expect(d[0]).toMatchObject({ text: 'project quota: gpus requested 1, project vision allows 0 (v2); waits until the limit is raised', requested: 1, limit: 0 });
    expect(explainReason('held back: would delay the reserved start of trial big (critical, tenant a); without maxRuntimeSeconds it can only use capacity that stays free'))
      .toHaveLength(1);
  });

  it('says OTHER for a clause it does not know, and nothing for no reason', () => {
    expect(explainReason('something new')).toEqual([{ code: 'OTHER', text: 'something new' }]);
    expect(explainReason(null)).toEqual([]);
  });
});
