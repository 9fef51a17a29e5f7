import { PluginShapeError } from '../plugin/plugin.assert.js';
import { PRUNER_API_VERSION, type Pruner } from './pruner.types.js';

/** Checks a loaded pruner plugin's shape; throws PluginShapeError listing every problem. */
export function assertPruner(value: unknown): asserts value is Pruner {
  if (value === null || typeof value !== 'object') throw new PluginShapeError([`expected an object, got ${value === null ? 'null' : typeof value}`], 'pruner plugin');
  const p = value as Record<string, unknown>;
  const problems: string[] = [];
  const hasName = typeof p.name === 'string' && p.name.length > 0;
  if (!hasName) problems.push('missing name: set `name` to a non-empty string');
  if (p.kind !== 'pruner') problems.push(`wrong kind: expected kind "pruner", got ${JSON.stringify(p.kind) ?? 'undefined'}`);
  if (p.apiVersion !== PRUNER_API_VERSION) problems.push(`unsupported apiVersion ${JSON.stringify(p.apiVersion) ?? 'undefined'}: this SDK supports "${PRUNER_API_VERSION}"`);
  if (typeof p.version !== 'string' || p.version.length === 0) problems.push('missing version: set `version` to the plugin package version');
  if (typeof p.shouldPrune !== 'function') problems.push('missing method shouldPrune()');
  if (problems.length > 0) throw new PluginShapeError(problems, `pruner plugin${hasName ? ` "${p.name as string}"` : ''}`);
}
