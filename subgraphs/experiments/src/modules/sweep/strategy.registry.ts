import { assertPlugin, type SearchStrategy, type StrategyFactory } from '@fairsweep/sdk';
import { createRandomStrategy } from '@fairsweep/strategy-random';

/** Strategies installed in this deployment, by spec name. */
const FACTORIES: Record<string, StrategyFactory> = {
  random: createRandomStrategy,
};

export function installedStrategies(): string[] {
  return Object.keys(FACTORIES).sort();
}

/** Creates the strategy a spec names; returns an error message naming what is allowed instead. */
export function createStrategy(name: string, options: Record<string, unknown>): SearchStrategy | { error: string; path: string } {
  const factory = FACTORIES[name];
  if (!factory) return { path: 'strategy.name', error: `"${name}" is not an installed strategy; installed: ${installedStrategies().join(', ')}` };
  try {
    const strategy = factory(options);
    assertPlugin(strategy, 'strategy');
    return strategy;
  } catch (err) {
    return { path: 'strategy.options', error: (err as Error).message };
  }
}
