import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertPruner, type PruneContext, type TrialCurve } from '@fairsweep/sdk';
import { checkPrunerConformance } from '@fairsweep/sdk/testing';
import createDefault, { ASHA_PRUNER_VERSION, createAshaPruner } from './index.js';

const curve = (trialIndex: number, values: number[], state: TrialCurve['state'] = 'running'): TrialCurve => ({ trialIndex, state, values: values.map((value, i) => ({ step: i + 1, value })) });
const at = (history: TrialCurve[], direction: PruneContext['direction'] = 'minimize'): PruneContext => {
  const last = history[history.length - 1];
  const v = last.values[last.values.length - 1];
  return { trialIndex: last.trialIndex, step: v.step, value: v.value, direction, history };
};

describe('asha pruner', () => {
  it('is a valid pruner plugin, versioned like its package, and passes the conformance check', () => {
    expect(() => assertPruner(createAshaPruner())).not.toThrow();
    expect(createDefault).toBe(createAshaPruner);
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    expect(ASHA_PRUNER_VERSION).toBe(pkg.version);
    expect(checkPrunerConformance(() => createAshaPruner({}))).toEqual([]);
    expect(checkPrunerConformance(() => createAshaPruner({ minResource: 2, reductionFactor: 3, minEarlyStoppingRate: 1 }))).toEqual([]);
  });

  it('keeps the best 1/η at a rung, judged when a trial reaches it (η = 4, rungs at steps 1, 4, 16)', () => {
    const pruner = createAshaPruner();
    const others = [1, 2, 3, 4, 5, 6, 7].map((v, i) => curve(i, [v]));
    // 8 trials at rung 0: the best 2 continue
    expect(pruner.shouldPrune(at([...others, curve(7, [1.5])])).prune).toBe(false);
    expect(pruner.shouldPrune(at([...others, curve(7, [2.5])]))).toEqual({
      prune: true, reason: 'at rung 0 (step 1) value 2.5 is not among the best 2 of 8 trials (cutoff 2)',
    });
    // the first trial at a rung always continues; steps between rungs are not judged
    expect(pruner.shouldPrune(at([curve(0, [9])])).prune).toBe(false);
    expect(pruner.shouldPrune(at([...others, curve(7, [1.5, 99])])).prune).toBe(false);
    // maximize flips it
    expect(pruner.shouldPrune(at([...others, curve(7, [6.5])], 'maximize')).prune).toBe(false);
  });

  it('on a synthetic learning-curve task, finds the best final value of full training with at most a third of the resource', () => {
    // 27 trials of 81 steps: value(s) = final + gap / sqrt(s); final and gap vary by trial
    const trials = 27;
    const steps = 81;
    const final = (i: number) => 0.1 + ((i * 17) % trials) / trials;
    const gap = (i: number) => 0.5 + ((i * 5) % 7) / 7;
    const pruner = createAshaPruner({ reductionFactor: 3 });
    const history: TrialCurve[] = [];
    let used = 0;
    // asynchronous: trial i starts at round i, each running trial reports once a round
    for (let round = 0; round < trials + steps; round++) {
      for (let i = 0; i < Math.min(round + 1, trials); i++) {
        let c = history.find((h) => h.trialIndex === i);
        if (!c) history.push((c = { trialIndex: i, state: 'running', values: [] }));
        if (c.state !== 'running') continue;
        const step = c.values.length + 1;
        const value = final(i) + gap(i) / Math.sqrt(step);
        (c.values as { step: number; value: number }[]).push({ step, value });
        used += 1;
        if (pruner.shouldPrune({ trialIndex: i, step, value, direction: 'minimize', history }).prune) c.state = 'pruned';
        else if (step === steps) c.state = 'succeeded';
      }
    }
    const bestFull = Math.min(...Array.from({ length: trials }, (_, i) => final(i) + gap(i) / Math.sqrt(steps)));
    const bestFound = Math.min(...history.filter((h) => h.state === 'succeeded').map((h) => h.values[steps - 1].value));
    expect(bestFound).toBe(bestFull);
    expect(used).toBeLessThanOrEqual((trials * steps) / 3);
  });

  it('refuses bad options, naming them', () => {
    expect(() => createAshaPruner({ reductionFactor: 1 })).toThrow('pruner "asha": option "reductionFactor" must be an integer >= 2, got 1');
  });
});
