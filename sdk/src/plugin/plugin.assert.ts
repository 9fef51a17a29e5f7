import { EXECUTOR_API_VERSION, type Executor } from '../executor/executor.types.js';
import { STRATEGY_API_VERSION, type SearchStrategy } from '../strategy/strategy.types.js';

export type PluginKind = 'strategy' | 'executor';

const REQUIRED: Record<PluginKind, { apiVersions: readonly string[]; methods: readonly string[] }> = {
  strategy: { apiVersions: [STRATEGY_API_VERSION], methods: ['suggest'] },
  executor: { apiVersions: [EXECUTOR_API_VERSION], methods: ['submit', 'cancel', 'onEvent', 'close'] },
};

/** Thrown by assertPlugin; `problems` has one entry per failed check. */
export class PluginShapeError extends Error {
  constructor(
    readonly problems: string[],
    label: string,
  ) {
    super(`${label} is not a valid plugin:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PluginShapeError';
  }
}

/**
 * Checks that a loaded plugin has the shape of a `kind` plugin: a name, the right kind marker, a
 * supported apiVersion, a version, and every required method. Throws PluginShapeError listing
 * every failure.
 */
export function assertPlugin(value: unknown, expectedKind: 'strategy'): asserts value is SearchStrategy;
export function assertPlugin(value: unknown, expectedKind: 'executor'): asserts value is Executor;
export function assertPlugin(value: unknown, expectedKind: PluginKind): void;
export function assertPlugin(value: unknown, expectedKind: PluginKind): void {
  const required = REQUIRED[expectedKind];
  if (value === null || typeof value !== 'object') {
    throw new PluginShapeError([`expected an object, got ${value === null ? 'null' : typeof value}`], `${expectedKind} plugin`);
  }
  const plugin = value as Record<string, unknown>;
  const problems: string[] = [];
  const hasName = typeof plugin.name === 'string' && plugin.name.length > 0;
  if (!hasName) problems.push('missing name: set `name` to a non-empty string');
  if (plugin.kind !== expectedKind) {
    problems.push(`wrong kind: expected kind "${expectedKind}", got ${JSON.stringify(plugin.kind) ?? 'undefined'}`);
  }
  if (typeof plugin.apiVersion !== 'string' || !required.apiVersions.includes(plugin.apiVersion)) {
    problems.push(
      `unsupported apiVersion ${JSON.stringify(plugin.apiVersion) ?? 'undefined'}: this SDK supports ${required.apiVersions.map((v) => `"${v}"`).join(', ')}`,
    );
  }
  if (typeof plugin.version !== 'string' || plugin.version.length === 0) {
    problems.push('missing version: set `version` to the plugin package version');
  }
  for (const method of required.methods) {
    if (typeof plugin[method] !== 'function') problems.push(`missing method ${method}()`);
  }
  if (problems.length > 0) {
    const label = `${expectedKind} plugin${hasName ? ` "${plugin.name as string}"` : ''}`;
    throw new PluginShapeError(problems, label);
  }
}
