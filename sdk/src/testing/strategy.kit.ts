import { canonicalJson } from '../json/canonical-json.js';
import { checkParamValues } from '../spec/param-values.js';
import type { SearchSpace } from '../spec/spec.types.js';
import { checkStrategyConformance, CONFORMANCE_SPACE } from '../strategy/strategy.conformance.js';
import type { Observation, StrategyFactory, SuggestContext } from '../strategy/strategy.types.js';
import { hasConditions } from '../spec/spec.conditions.js';
import { KIT_CONDITIONAL_SPACE, KIT_SPACE, kitSweep } from './strategy.kit-space.js';

export interface StrategyKitOptions {
  /** Option sets to run every check with; each must be JSON (a spec's `strategy.options`). Default `[{}]`. */
  options?: Record<string, unknown>[];
  /** Spaces to sweep; default the SDK's CONFORMANCE_SPACE, KIT_SPACE and KIT_CONDITIONAL_SPACE. */
  spaces?: SearchSpace[];
  seeds?: number[];
  /** Trials per sweep; default 30, enough to leave a startup phase of 10 random trials well behind. */
  trials?: number;
}

/**
 * Registers the strategy conformance suite in the calling jest file (call it at top level):
 * plugin shape and determinism (`checkStrategyConformance`); every suggestion inside the space
 * (bounds, types, steps, log scales, choices) with exactly the active parameters of a conditional
 * space, every conditional branch reached; failed and pruned observations, both objective
 * directions; suggesting while trials are still running (observations missing some lower
 * indices, completion order not index order) without depending on the order of calls;
 * independence from the order the space lists its parameters; options and suggestions that
 * survive a JSON round trip.
 */
export function describeStrategyConformance(name: string, create: StrategyFactory, kit: StrategyKitOptions = {}): void {
  const spaces = kit.spaces ?? [CONFORMANCE_SPACE, KIT_SPACE, KIT_CONDITIONAL_SPACE];
  const seeds = kit.seeds ?? [0, 4294967295];
  const trials = kit.trials ?? 30;
  describe(`strategy conformance: ${name}`, () => {
    for (const options of kit.options ?? [{}]) {
      const make = () => create(structuredClone(options));
      const label = canonicalJson(options);

      it(`is a valid plugin whose suggestions depend only on their context (options ${label})`, () => {
        expect(checkStrategyConformance(make, { spaces, seeds, trials })).toEqual([]);
      });

      it(`keeps every suggestion inside the space, with failed and pruned trials, either direction (options ${label})`, () => {
        for (const space of spaces) {
          for (const direction of ['minimize', 'maximize'] as const) {
            for (const o of kitSweep(make(), space, seeds[0], trials, direction)) {
              expect({ trial: o.trialIndex, problems: checkParamValues(space, o.params) }).toEqual({ trial: o.trialIndex, problems: [] });
            }
          }
        }
      });

      it(`suggests exactly the active parameters of conditional spaces, reaching every branch (options ${label})`, () => {
        for (const space of spaces.filter(hasConditions)) {
          const history = kitSweep(make(), space, seeds[0], trials);
          for (const o of history) expect({ trial: o.trialIndex, problems: checkParamValues(space, o.params) }).toEqual({ trial: o.trialIndex, problems: [] });
          const reached = new Set(history.flatMap((o) => Object.keys(o.params)));
          expect(Object.keys(space).filter((name) => !reached.has(name))).toEqual([]);
        }
      });

      it(`suggests while trials are still running, independently of call order (options ${label})`, () => {
        const strategy = make();
        const space = spaces[spaces.length - 1];
        const history = kitSweep(make(), space, seeds[0], trials);
        // trials complete out of index order; the last five are still running
        const observations: Observation[] = [...history.slice(0, trials - 5)].sort((a, b) => (a.trialIndex % 3) - (b.trialIndex % 3));
        const ctx = (trialIndex: number): SuggestContext => ({ space, objective: { metric: 'loss', direction: 'minimize' }, experimentSeed: seeds[0], trialIndex, observations });
        const indices = [trials, trials + 1, trials + 2, trials + 3];
        const forwards = indices.map((i) => canonicalJson(strategy.suggest(ctx(i))));
        const backwards = [...indices].reverse().map((i) => canonicalJson(make().suggest(ctx(i)))).reverse();
        expect(backwards).toEqual(forwards);
        for (const i of indices) expect(checkParamValues(space, strategy.suggest(ctx(i)).params)).toEqual([]);
      });

      it(`does not depend on the order the space lists its parameters (options ${label})`, () => {
        for (const space of spaces) {
          const reversed: SearchSpace = Object.fromEntries(Object.entries(space).reverse());
          const history = kitSweep(make(), space, seeds[0], trials);
          const ctx = { objective: { metric: 'loss', direction: 'minimize' as const }, experimentSeed: seeds[0], trialIndex: trials, observations: history };
          expect(canonicalJson(make().suggest({ ...ctx, space: reversed }))).toBe(canonicalJson(make().suggest({ ...ctx, space })));
        }
      });

      it(`takes options and gives suggestions that survive JSON (options ${label})`, () => {
        const revived = () => create(JSON.parse(JSON.stringify(options)) as Record<string, unknown>);
        const space = spaces[0];
        const history = kitSweep(make(), space, seeds[0], trials);
        expect(JSON.parse(JSON.stringify(history))).toEqual(history);
        expect(kitSweep(revived(), space, seeds[0], trials)).toEqual(history);
      });
    }
  });
}
