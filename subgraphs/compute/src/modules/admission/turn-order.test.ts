import { fifoOrder, type QueuedRun } from './admission.js';
import { TurnOrder, type Turn } from './turn-order.js';

const t0 = Date.parse('2030-01-01T00:00:00Z');
const run = (tenant: string, ageMs: number, preempting = false): QueuedRun => ({
  trialId: `${tenant}-${ageMs}`, tenant, trialIndex: 0, cpus: 1, gpus: 0, memoryMb: 1, enqueuedAt: new Date(t0 + ageMs), preempting,
});

/** The rule as a linear scan over every tenant (what admission did before the heap). */
function scanOrder(turns: Turn[]): string[] {
  const left = [...turns];
  const out: string[] = [];
  while (left.length > 0) {
    let best = 0;
    for (let i = 1; i < left.length; i++) {
      const a = left[i]!;
      const b = left[best]!;
      const pa = !!a.head.preempting;
      const pb = !!b.head.preempting;
      if (pa !== pb ? pa : a.share !== b.share ? a.share < b.share : fifoOrder(a.head, b.head) < 0) best = i;
    }
    out.push(left.splice(best, 1)[0]!.tenant);
  }
  return out;
}

function drain(order: TurnOrder): string[] {
  const out: string[] = [];
  for (let t = order.pop(); t; t = order.pop()) out.push(t.tenant);
  return out;
}

describe('TurnOrder (progressive-filling turn order)', () => {
  it('gives the turn to preempting heads first, then the smallest share, then the oldest head run', () => {
    const order = new TurnOrder(fifoOrder);
    order.push({ tenant: 'old-big', head: run('old-big', 0), share: 0.5 });
    order.push({ tenant: 'young-small', head: run('young-small', 50), share: 0.1 });
    order.push({ tenant: 'old-small', head: run('old-small', 10), share: 0.1 });
    order.push({ tenant: 'preempting-big', head: run('preempting-big', 90, true), share: 0.9 });
    expect(drain(order)).toEqual(['preempting-big', 'old-small', 'young-small', 'old-big']);
    expect(order.size).toBe(0);
    expect(order.pop()).toBeUndefined();
  });

  it('treats shares within floating-point noise as equal (the older head goes first)', () => {
    const order = new TurnOrder(fifoOrder);
    order.push({ tenant: 'young', head: run('young', 20), share: 0.3 });
    order.push({ tenant: 'old', head: run('old', 10), share: 0.1 + 0.2 }); // 0.30000000000000004
    expect(drain(order)).toEqual(['old', 'young']);
  });

  it('pops in the same order as a scan over every tenant, for random mixes of shares, ages and preempting heads', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 200; round++) {
      const n = 1 + Math.floor(rnd() * 40);
      const turns: Turn[] = Array.from({ length: n }, (_, i) => ({
        tenant: `t${i}`,
        head: run(`t${i}`, Math.floor(rnd() * 10), rnd() < 0.2),
        // Few distinct shares, so ties (broken by age, then trial id) are common.
        share: Math.floor(rnd() * 5) / 4,
      }));
      const order = new TurnOrder(fifoOrder);
      for (const t of turns) order.push(t);
      expect(drain(order)).toEqual(scanOrder(turns));
    }
  });
});
