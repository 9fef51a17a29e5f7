import type { SpecIssue } from './spec.error.js';
import { SPEC_API_VERSION } from './spec.types.js';
import { validateSpec } from './spec.validate.js';

/**
 * Experiment templates: a partial spec document a project shares, which specs name with
 * `extends: <name>` or `extends: <name>@<version>`. Merge rules (`mergeSpecTemplate`):
 * - a field the spec gives overrides the template's;
 * - mappings merge deeply, field by field (`trial.env`, `trial.resources`, `strategy.options`, ...),
 *   except that each search-space parameter is replaced as a whole (its fields only make sense
 *   together: an int's `step` must not leak into a float of the same name);
 * - lists (`trial.command`, `choices`) and scalars replace; a string `strategy: tpe` replaces a
 *   template's `{ name, options }` mapping;
 * - `extends` itself is not part of the result.
 */

export interface TemplateRef {
  name: string;
  /** A pinned version, or null for the latest. */
  version: number | null;
}

/** `team-base@3` → `{ name: 'team-base', version: 3 }`; `team-base` → version null. */
export function parseTemplateRef(ref: string): TemplateRef {
  const at = ref.lastIndexOf('@');
  if (at < 0) return { name: ref, version: null };
  return { name: ref.slice(0, at), version: Number(ref.slice(at + 1)) };
}

type Json = unknown;

function isMapping(value: Json): value is Record<string, Json> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The spec document that results from `spec` extending `template` (neither is modified). */
export function mergeSpecTemplate(template: Record<string, Json>, spec: Record<string, Json>): Record<string, Json> {
  const { extends: _ignored, ...own } = spec;
  const merged = merge(template, own, []) as Record<string, Json>;
  delete merged.extends;
  return merged;
}

function merge(base: Json, over: Json, path: string[]): Json {
  if (over === undefined) return clone(base);
  const isParameter = path.length === 2 && path[0] === 'searchSpace';
  if (!isMapping(base) || !isMapping(over) || isParameter) return clone(over);
  const out: Record<string, Json> = {};
  for (const key of Object.keys(base)) out[key] = clone(base[key]);
  for (const key of Object.keys(over)) {
    out[key] = Object.hasOwn(base, key) ? merge(base[key], over[key], [...path, key]) : clone(over[key]);
  }
  return out;
}

/** A deep copy of JSON data that keeps every own key as plain data. */
function clone(value: Json): Json {
  if (Array.isArray(value)) return value.map(clone);
  if (isMapping(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)]));
  return value;
}

/**
 * Problems with a template document: it must be a mapping of spec fields, each valid where
 * present (fields may be missing: the spec that extends it gives them), and it may not extend
 * another template. The merged spec is validated in full at submit.
 */
export function templateIssues(document: Json): SpecIssue[] {
  if (!isMapping(document)) return [{ path: '', message: 'must be a mapping (a partial experiment spec)' }];
  const issues: SpecIssue[] = [];
  if (document.extends !== undefined) issues.push({ path: 'extends', message: 'a template cannot extend another template' });
  const { extends: _ignored, ...rest } = document;
  const candidate = { apiVersion: SPEC_API_VERSION, ...rest, extends: 'template' };
  for (const issue of validateSpec(candidate)) {
    if (issue.path === 'extends') continue;
    if (issue.message.startsWith('is required')) continue;
    issues.push(issue);
  }
  return issues;
}
