import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertPruner, type PruneContext, type TrialCurve } from '@fairsweep/sdk';
import { checkPrunerConformance } from '@fairsweep/sdk/testing';
import createDefault, { createMedianPruner, MEDIAN_PRUNER_VERSION } from './index.js';

const curve = (trialIndex: number, state: TrialCurve['state'], values: number[]): TrialCurve => ({ trialIndex, state, values: values.map((value, i) => ({ step: i + 1, value })) });
const ctx = (history: TrialCurve[], over: Partial<PruneContext> = {}): PruneContext => {
  const last = history[history.length - 1];
  const v = last.values[last.values.length - 1];
  return { trialIndex: last.trialIndex, step: v.step, value: v.value, direction: 'minimize', history, ...over };
};
const done = [1, 2, 3, 4, 5].map((i) => curve(i - 1, 'succeeded', [i, i / 2, i / 4]));

describe('median pruner', () => {
  it('is a valid pruner plugin, versioned like its package, and passes the conformance check', () => {
    expect(() => assertPruner(createMedianPruner())).not.toThrow();
    expect(createDefault).toBe(createMedianPruner);
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    expect(MEDIAN_PRUNER_VERSION).toBe(pkg.version);
    expect(checkPrunerConformance(() => createMedianPruner({}))).toEqual([]);
    expect(checkPrunerConformance(() => createMedianPruner({ nStartupTrials: 1, nWarmupSteps: 3, intervalSteps: 2 }))).toEqual([]);
  });

  it('prunes a trial whose best value is worse than the median at its step (median of 1..5 at step 1 is 3)', () => {
    const pruner = createMedianPruner();
    expect(pruner.shouldPrune(ctx([...done, curve(5, 'running', [3.5])]))).toEqual({
      prune: true, reason: 'best value 3.5 by step 1 is worse than the median 3 of 5 succeeded trials at that step',
    });
    expect(pruner.shouldPrune(ctx([...done, curve(5, 'running', [3])])).prune).toBe(false);
    // best so far counts: 1.4 at step 2 beats the step-2 median 1.5
    expect(pruner.shouldPrune(ctx([...done, curve(5, 'running', [9, 1.4])])).prune).toBe(false);
  });

  it('flips for maximize', () => {
    expect(createMedianPruner().shouldPrune(ctx([...done, curve(5, 'running', [3.5])], { direction: 'maximize' })).prune).toBe(false);
    expect(createMedianPruner().shouldPrune(ctx([...done, curve(5, 'running', [2.5])], { direction: 'maximize' })).prune).toBe(true);
  });

  it('waits for startup trials, warm-up steps and checked steps', () => {
    expect(createMedianPruner().shouldPrune(ctx([...done.slice(0, 4), curve(4, 'running', [99])]))).toEqual({ prune: false, reason: '4 of 5 startup trials succeeded' });
    expect(createMedianPruner({ nWarmupSteps: 2 }).shouldPrune(ctx([...done, curve(5, 'running', [99])])).reason).toBe('step 1 is within the 2 warm-up steps');
    expect(createMedianPruner({ intervalSteps: 2 }).shouldPrune(ctx([...done, curve(5, 'running', [99])])).reason).toBe('step 1 is not a checked step (every 2)');
    expect(createMedianPruner({ nMinTrials: 6 }).shouldPrune(ctx([...done, curve(5, 'running', [99])])).prune).toBe(false);
  });

  it('refuses bad options, naming them', () => {
    expect(() => createMedianPruner({ nStartup: 1, intervalSteps: 0 })).toThrow(
      'pruner "median": unknown option "nStartup"; allowed: nStartupTrials, nWarmupSteps, intervalSteps, nMinTrials; option "intervalSteps" must be an integer >= 1, got 0',
    );
  });
});
