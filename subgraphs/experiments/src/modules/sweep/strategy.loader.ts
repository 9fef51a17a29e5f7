import { assertPlugin, PluginShapeError, type StrategyFactory } from '@fairsweep/sdk';
import { registerStrategy } from './strategy.registry.js';

export class PluginLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PluginLoadError';
  }
}

/**
 * Loads third-party strategy plugins by package name (or path), as listed in
 * FAIRSWEEP_STRATEGY_PLUGINS. Each package's default export (or the module itself) must be a
 * factory `(options) => SearchStrategy`; the plugin it returns for `{}` is shape-checked
 * (name, kind "strategy", a supported apiVersion, version, suggest()) and installed under its name.
 * Every failure is reported at once, naming the package, what is wrong and what is expected.
 */
export function loadStrategyPlugins(specifiers: readonly string[], load: (id: string) => unknown = require): string[] {
  const problems: string[] = [];
  const installed: string[] = [];
  for (const id of specifiers) {
    let mod: unknown;
    try {
      mod = load(id);
    } catch (err) {
      problems.push(`strategy plugin "${id}": cannot be loaded (${(err as Error).message.split('\n')[0]}); install the package or fix the name`);
      continue;
    }
    const m = mod as { default?: unknown } | null;
    const factory = (m && typeof m === 'object' && 'default' in m ? m.default : mod) as StrategyFactory;
    if (typeof factory !== 'function') {
      problems.push(`strategy plugin "${id}": its default export must be a factory function (options) => strategy, got ${factory === null ? 'null' : typeof factory}`);
      continue;
    }
    let plugin: unknown;
    try {
      plugin = factory({});
      assertPlugin(plugin, 'strategy');
    } catch (err) {
      const detail = err instanceof PluginShapeError ? err.problems.join('; ') : (err as Error).message;
      problems.push(`strategy plugin "${id}": ${detail}`);
      continue;
    }
    try {
      registerStrategy(plugin.name, factory);
      installed.push(plugin.name);
    } catch (err) {
      problems.push(`strategy plugin "${id}": ${(err as Error).message}`);
    }
  }
  if (problems.length > 0) throw new PluginLoadError(`refusing to start with invalid plugins:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return installed;
}

/** FAIRSWEEP_STRATEGY_PLUGINS: comma-separated package names or paths. */
export function strategyPluginsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.FAIRSWEEP_STRATEGY_PLUGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}
