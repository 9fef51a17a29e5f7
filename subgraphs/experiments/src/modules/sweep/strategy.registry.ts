import { assertPlugin, type SearchStrategy, type StrategyFactory } from '@fairsweep/sdk';
import { createGridStrategy } from '@fairsweep/strategy-grid';
import { createRandomStrategy } from '@fairsweep/strategy-random';
import { createTpeStrategy } from '@fairsweep/strategy-tpe';

/** Strategies installed in this deployment, by spec name. */
const FACTORIES: Record<string, StrategyFactory> = {
  grid: createGridStrategy,
  random: createRandomStrategy,
  tpe: createTpeStrategy,
};

/**
 * Installs a strategy under a name (tests, embedders); returns a function that removes it again.
 * Built-in names cannot be replaced.
 */
export function registerStrategy(name: string, factory: StrategyFactory): () => void {
  if (FACTORIES[name]) throw new Error(`strategy "${name}" is already installed`);
  FACTORIES[name] = factory;
  return () => {
    delete FACTORIES[name];
  };
}

export function installedStrategies(): string[] {
  return Object.keys(FACTORIES).sort();
}

/** Name, kind, version and apiVersion of every installed strategy (created with default options). */
export function installedStrategyPlugins(): { name: string; kind: string; version: string; apiVersion: string }[] {
  return installedStrategies().map((name) => {
    const s = FACTORIES[name]!({});
    return { name, kind: s.kind, version: s.version, apiVersion: s.apiVersion };
  });
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
