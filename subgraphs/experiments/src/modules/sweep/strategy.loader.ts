import { assertPlugin, assertPruner, PluginShapeError, type PrunerFactory, type StrategyFactory } from '@fairsweep/sdk';
import { registerPruner } from '../prune/pruner.registry.js';
import { registerStrategy } from './strategy.registry.js';

export class PluginLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PluginLoadError';
  }
}

type Kind = 'strategy' | 'pruner';

const KINDS: Record<Kind, { check: (plugin: unknown) => void; register: (name: string, factory: never) => () => void; method: string }> = {
  strategy: { check: (p) => assertPlugin(p, 'strategy'), register: registerStrategy as never, method: 'suggest()' },
  pruner: { check: (p) => assertPruner(p), register: registerPruner as never, method: 'shouldPrune()' },
};

/**
 * Loads third-party plugins of one kind by package name (or path). Each package's default export
 * (or the module itself) must be a factory `(options) => plugin`; the plugin it returns for `{}`
 * is shape-checked (name, kind, a supported apiVersion, version, suggest() or shouldPrune()) and
 * installed under its name. Every failure is reported at once, naming the package, what is wrong
 * and what is expected.
 */
export function loadPlugins(kind: Kind, specifiers: readonly string[], load: (id: string) => unknown = require): string[] {
  const { check, register } = KINDS[kind];
  const problems: string[] = [];
  const installed: string[] = [];
  for (const id of specifiers) {
    let mod: unknown;
    try {
      mod = load(id);
    } catch (err) {
      problems.push(`${kind} plugin "${id}": cannot be loaded (${(err as Error).message.split('\n')[0]}); install the package or fix the name`);
      continue;
    }
    const m = mod as { default?: unknown } | null;
    const factory = (m && typeof m === 'object' && 'default' in m ? m.default : mod) as (options: Record<string, unknown>) => { name: string };
    if (typeof factory !== 'function') {
      problems.push(`${kind} plugin "${id}": its default export must be a factory function (options) => ${kind}, got ${factory === null ? 'null' : typeof factory}`);
      continue;
    }
    let plugin: { name: string };
    try {
      plugin = factory({});
      check(plugin);
    } catch (err) {
      const detail = err instanceof PluginShapeError ? err.problems.join('; ') : (err as Error).message;
      problems.push(`${kind} plugin "${id}": ${detail}`);
      continue;
    }
    try {
      register(plugin.name, factory as never);
      installed.push(plugin.name);
    } catch (err) {
      problems.push(`${kind} plugin "${id}": ${(err as Error).message}`);
    }
  }
  if (problems.length > 0) throw new PluginLoadError(`refusing to start with invalid plugins:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return installed;
}

/** Third-party strategies (FAIRSWEEP_STRATEGY_PLUGINS). */
export function loadStrategyPlugins(specifiers: readonly string[], load: (id: string) => unknown = require): string[] {
  return loadPlugins('strategy', specifiers, load);
}

/** Third-party pruners (FAIRSWEEP_PRUNER_PLUGINS). */
export function loadPrunerPlugins(specifiers: readonly string[], load: (id: string) => unknown = require): string[] {
  return loadPlugins('pruner', specifiers, load);
}

function listFromEnv(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** FAIRSWEEP_STRATEGY_PLUGINS: comma-separated package names or paths. */
export function strategyPluginsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return listFromEnv(env.FAIRSWEEP_STRATEGY_PLUGINS);
}

/** FAIRSWEEP_PRUNER_PLUGINS: comma-separated package names or paths. */
export function prunerPluginsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return listFromEnv(env.FAIRSWEEP_PRUNER_PLUGINS);
}

export type { PrunerFactory, StrategyFactory };
