import { createAshaPruner } from '@fairsweep/pruner-asha';
import { createHyperbandPruner } from '@fairsweep/pruner-hyperband';
import { createMedianPruner } from '@fairsweep/pruner-median';
import { createRng } from '@fairsweep/sdk';
import { buildPruneContext, type ObjectiveReport } from './prune.domain.js';
import { replayPruneDecisions, type RecordedPruneDecision } from './prune.replay.js';
import { decide } from './prune.domain.js';

const r = (metricId: number, trialIndex: number, step: number, value: number): ObjectiveReport => ({ metricId, trialIndex, step, value });

describe('prune context from the record', () => {
  const reports = [r(1, 1, 1, 5), r(2, 0, 1, 3), r(3, 0, 2, 2), r(4, 0, 1, 9), r(5, 1, 2, 4), r(6, 2, 1, 7), r(7, 1, 3, 1)];

  it('orders curves by first report, keeps increasing steps only, ends a pruned curve at its prune, and takes ended states', () => {
    const built = buildPruneContext(reports, reports[6]!, new Map([[2, 6]]), new Map([[0, 'cancelled']]), 'minimize')!;
    expect(built.ctx).toEqual({
      trialIndex: 1, step: 3, value: 1, direction: 'minimize',
      history: [
        { trialIndex: 1, state: 'running', values: [{ step: 1, value: 5 }, { step: 2, value: 4 }, { step: 3, value: 1 }] },
        { trialIndex: 0, state: 'failed', values: [{ step: 1, value: 3 }, { step: 2, value: 2 }] },
        { trialIndex: 2, state: 'pruned', values: [{ step: 1, value: 7 }] },
      ],
    });
    expect(built.inputs).toEqual({ throughMetricId: 7, states: { 0: 'failed', 2: 'pruned' }, reports: 6 });
    // a repeated step (a restarted attempt) is not judged; neither is a report after the trial's prune
    expect(buildPruneContext(reports, reports[3]!, new Map(), new Map(), 'minimize')).toBeNull();
    expect(buildPruneContext([...reports, r(8, 2, 2, 1)], r(8, 2, 2, 1), new Map([[2, 6]]), new Map(), 'minimize')).toBeNull();
  });

  it('replay re-derives decisions and names the first that differs', () => {
    const pruner = createMedianPruner({ nStartupTrials: 1 });
    const curve = [r(1, 0, 1, 1), r(2, 0, 2, 0.5), r(3, 1, 1, 0.8), r(4, 1, 2, 3)];
    const decisions: RecordedPruneDecision[] = curve.filter((x) => x.trialIndex === 1).map((x) => {
      const built = buildPruneContext(curve, x, new Map(), new Map([[0, 'succeeded']]), 'minimize')!;
      const d = decide(pruner, built.ctx);
      return { ...x, pruner: 'median', prunerVersion: pruner.version, options: { nStartupTrials: 1 }, ...d, inputs: built.inputs, inputsSha256: built.digest };
    });
    const spec = { name: 'median', options: { nStartupTrials: 1 } };
    expect(decisions.map((d) => d.prune)).toEqual([false, true]);
    expect(replayPruneDecisions(spec, 'minimize', decisions, curve, () => pruner)).toEqual({ pruner: 'median', checked: 2, matched: 2 });
    const tampered = curve.map((x) => (x.metricId === 2 ? { ...x, value: 9 } : x));
    // trial 0's step-2 value changed: the first decision made after it saw other inputs (same verdict there),
    // and the one at step 2 flips
    const report = replayPruneDecisions(spec, 'minimize', decisions, tampered, () => pruner);
    expect(report).toMatchObject({ checked: 2, matched: 0, firstDivergence: { decision: 1, trialIndex: 1, step: 1, field: 'inputs', expected: decisions[0]!.inputsSha256 } });
    expect(replayPruneDecisions(spec, 'minimize', decisions.slice(1), tampered, () => pruner).firstDivergence).toMatchObject({
      decision: 1, trialIndex: 1, step: 2, field: 'decision', expected: { prune: true }, actual: { prune: false },
    });
    expect(replayPruneDecisions(spec, 'minimize', decisions, curve, () => ({ ...pruner, version: '9.9.9' })).firstDivergence)
      .toMatchObject({ decision: 1, field: 'pruner', expected: pruner.version, actual: '9.9.9' });
  });
});

describe('replay of every built-in pruner on an asynchronous sweep', () => {
  // 12 trials, 4 at a time, each reporting 9 steps, interleaved in a seeded shuffled order; a
  // trial stops reporting once pruned. Decisions are made as the platform makes them (in report
  // order), recorded, and replayed from the record.
  const sweep = (prunerName: string, pruner: ReturnType<typeof createMedianPruner>, options: Record<string, unknown>, seed: number) => {
    const rng = createRng(seed, 'prune-replay-test');
    const reports: ObjectiveReport[] = [];
    const decisions: RecordedPruneDecision[] = [];
    const prunedAt = new Map<number, number>();
    const states = new Map<number, string>();
    const next = new Map<number, number>();
    let launched = 0;
    const running: number[] = [];
    let metricId = 0;
    while (running.length > 0 || launched < 12) {
      while (running.length < 4 && launched < 12) {
        next.set(launched, 1);
        running.push(launched++);
      }
      const k = rng.nextUint32() % running.length;
      const t = running[k]!;
      const step = next.get(t)!;
      const quality = ((t * 7919) % 13) / 13; // some trials are much worse than others
      const value = quality + 1 / step;
      const report = { metricId: ++metricId, trialIndex: t, step, value };
      reports.push(report);
      const built = buildPruneContext(reports, report, prunedAt, states, 'minimize');
      if (built) {
        const d = decide(pruner, built.ctx);
        decisions.push({ ...report, pruner: prunerName, prunerVersion: pruner.version, options, ...d, inputs: built.inputs, inputsSha256: built.digest });
        if (d.prune) prunedAt.set(t, report.metricId);
      }
      if (prunedAt.has(t) || step === 9) {
        states.set(t, prunedAt.has(t) ? 'pruned' : 'succeeded');
        running.splice(k, 1);
      } else next.set(t, step + 1);
    }
    return { reports, decisions };
  };

  it.each([
    ['median', () => createMedianPruner({ nStartupTrials: 2, nWarmupSteps: 1 }), { nStartupTrials: 2, nWarmupSteps: 1 }],
    ['asha', () => createAshaPruner({ minResource: 1, reductionFactor: 3 }), { minResource: 1, reductionFactor: 3 }],
    ['hyperband', () => createHyperbandPruner({ minResource: 1, maxResource: 9, reductionFactor: 3 }), { minResource: 1, maxResource: 9, reductionFactor: 3 }],
  ] as const)('%s: every recorded decision re-derives, and a changed value is found', (name, make, options) => {
    const pruner = make();
    const { reports, decisions } = sweep(name, pruner, options, 7);
    expect(decisions.length).toBeGreaterThan(20);
    expect(decisions.some((d) => d.prune)).toBe(true);
    const spec = { name, options: { ...options } };
    expect(replayPruneDecisions(spec, 'minimize', decisions, reports, () => make())).toEqual({ pruner: name, checked: decisions.length, matched: decisions.length });
    const first = decisions.find((d) => d.prune)!;
    const tampered = reports.map((x) => (x.metricId === first.metricId ? { ...x, value: x.value + 1 } : x));
    expect(replayPruneDecisions(spec, 'minimize', decisions, tampered, () => make()).firstDivergence).toMatchObject({ trialIndex: first.trialIndex, step: first.step, field: 'report' });
  });
});
