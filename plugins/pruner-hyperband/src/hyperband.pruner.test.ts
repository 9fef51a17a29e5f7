import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertPruner, type TrialCurve } from '@fairsweep/sdk';
import { checkPrunerConformance } from '@fairsweep/sdk/testing';
import createDefault, { createHyperbandPruner, HYPERBAND_PRUNER_VERSION, hyperbandBrackets } from './index.js';

describe('hyperband pruner', () => {
  it('is a valid pruner plugin, versioned like its package, and passes the conformance check', () => {
    expect(() => assertPruner(createHyperbandPruner({ maxResource: 27 }))).not.toThrow();
    expect(createDefault).toBe(createHyperbandPruner);
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    expect(HYPERBAND_PRUNER_VERSION).toBe(pkg.version);
    expect(checkPrunerConformance(() => createHyperbandPruner({ maxResource: 27 }))).toEqual([]);
    expect(checkPrunerConformance(() => createHyperbandPruner({ minResource: 2, maxResource: 32, reductionFactor: 2 }))).toEqual([]);
  });

  it("has Optuna's brackets and budgets", () => {
    // min 1, max 27, η 3: 4 brackets, budgets ⌈4·3^s/(s+1)⌉ for s = 3..0
    expect(hyperbandBrackets(1, 27, 3)).toEqual({ budgets: [27, 12, 6, 4], totalBudget: 49 }); // Optuna 3.1 gives the same
    expect(hyperbandBrackets(1, 1, 3)).toEqual({ budgets: [1], totalBudget: 1 });
  });

  it('judges each trial against its own bracket only, saying which', () => {
    const pruner = createHyperbandPruner({ maxResource: 27 });
    const brackets = Array.from({ length: 200 }, (_, i) => Number(/^bracket (\d)/.exec(pruner.shouldPrune({
      trialIndex: i, step: 1, value: 1, direction: 'minimize', history: [{ trialIndex: i, state: 'running', values: [{ step: 1, value: 1 }] }],
    }).reason)![1]));
    const counts = [0, 1, 2, 3].map((b) => brackets.filter((x) => x === b).length);
    expect(counts[0]).toBeGreaterThan(counts[1]); // roughly 27 : 12 : 6 : 4
    expect(counts[1]).toBeGreaterThan(counts[2]);
    // a bad trial survives when its bracket has no rivals yet, whatever other brackets hold
    const first = brackets.indexOf(0);
    const other = brackets.indexOf(1);
    const history: TrialCurve[] = [
      { trialIndex: other, state: 'running', values: [{ step: 1, value: 0 }] },
      { trialIndex: first, state: 'running', values: [{ step: 1, value: 5 }] },
    ];
    expect(pruner.shouldPrune({ trialIndex: first, step: 1, value: 5, direction: 'minimize', history }).prune).toBe(false);
  });

  it('needs maxResource', () => {
    expect(() => createHyperbandPruner({})).toThrow('pruner "hyperband": option "maxResource" is required');
    expect(() => createHyperbandPruner({ minResource: 4, maxResource: 2 })).toThrow('option "maxResource" (2) must be >= minResource (4)');
  });
});
