import { describeQueue, duration, type QueueView } from './queue.js';

// The query itself runs against the real platform in e2e/src/cohort-preemption.e2e.test.ts.
describe('fairsweep queue', () => {
  const now = new Date('2030-01-01T12:00:00Z');
  const ago = (sec: number) => new Date(now.getTime() - sec * 1000).toISOString();
  const view = (queue: QueueView['queue'], extra: Partial<NonNullable<QueueView['tenant']>> = {}): QueueView => ({
    tenant: {
      slug: 'lab-a', usage: { cpus: 3, gpus: 0, memoryMb: 192, runningTrials: 3, queuedTrials: queue.length },
      remaining: { quotaVersion: 2, cpus: 0, gpus: 0, memoryMb: 3904, concurrentTrials: 7 }, budget: null, ...extra,
    },
    queue,
  });
  const trial = (position: number, q: Partial<QueueView['queue'][number]> = {}): QueueView['queue'][number] => ({
    position, trialId: `t${position}`, experimentId: '0123456789abcdef', trialIndex: position, priority: 'standard', cpus: 1, gpus: 0, memoryMb: 64,
    enqueuedAt: ago(130), pendingReason: 'cohort lab: cpus 2 would be borrowed, members lend 2', estimatedStartAt: null, estimatedStartReason: null, ...q,
  });

  it('words durations', () => {
    expect([duration(0), duration(45.4), duration(60), duration(200), duration(7500), duration(3 * 86400 + 4 * 3600 + 5)]).toEqual(['0 s', '45 s', '1 min', '3 min 20 s', '2 h 5 min', '3 d 4 h']);
  });

  it('prints usage, remaining quota and one line per queued trial with its wait, estimate and reason', () => {
    const out = describeQueue(view([
      trial(1, { estimatedStartAt: new Date(now.getTime() + 35_000).toISOString() }),
      trial(2, { priority: 'preemptible', estimatedStartReason: 'it waits behind attempts of unknown duration' }),
      trial(3, { pendingReason: null, estimatedStartAt: ago(1) }),
    ], { budget: { remainingGpuHours: 1.234, gpuHours: 10 } }), now);
    expect(out.split('\n')).toEqual([
      'tenant lab-a: 3 running (3 CPUs, 0 GPUs, 192 MB), 3 queued',
      'remaining quota (policy v2): 0 CPUs, 0 GPUs, 3904 MB, 7 more trials at once',
      'GPU-hour budget: 1.23 of 10 left',
      '',
      'pos  trial          priority     waiting        starts         why',
      '1    01234567#1     standard     2 min 10 s     in 35 s        cohort lab: cpus 2 would be borrowed, members lend 2',
      '2    01234567#2     preemptible  2 min 10 s     unknown        cohort lab: cpus 2 would be borrowed, members lend 2 (no estimate: it waits behind attempts of unknown duration)',
      '3    01234567#3     standard     2 min 10 s     next cycle     not yet seen by an admission cycle',
    ]);
  });

  it('says when nothing is queued, when compute knows no quota yet, and how many rows the limit left out', () => {
    expect(describeQueue(view([], { remaining: null }), now)).toBe(
      'tenant lab-a: 3 running (3 CPUs, 0 GPUs, 192 MB), 0 queued\nremaining quota: none known yet (compute has not received the tenant\'s quota)\n\nnothing queued');
    const long = describeQueue(view([trial(1), trial(2), trial(3)]), now, 2).split('\n');
    expect(long.at(-1)).toBe('… and 1 more (--limit 3 shows all, --json gives every field)');
    expect(long.filter((l) => /^\d/.test(l))).toHaveLength(2);
  });
});
