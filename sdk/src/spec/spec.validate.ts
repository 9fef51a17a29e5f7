import { joinPath, type SpecIssue } from './spec.error.js';
import { semanticIssues } from './spec.semantics.js';
import { structuralIssues } from './spec.structure.js';

/**
 * Every problem in a spec document (the parsed YAML/JSON value, before normalisation); `[]` when
 * it is valid. Structure comes from SPEC_JSON_SCHEMA; semantic rules run on the parts whose
 * structure is right, so one mistake is reported once.
 */
export function validateSpec(value: unknown): SpecIssue[] {
  const tooDeep = nestingIssue(value);
  if (tooDeep) return [tooDeep];
  const structural = structuralIssues(value);
  const bad = structural.map((i) => i.path);
  const structurallyValid = (path: string) =>
    !bad.some((b) => b === path || b.startsWith(`${path}.`) || b.startsWith(`${path}[`) || isAncestor(b, path));
  return [...structural, ...semanticIssues(value, structurallyValid)];
}

/** A problem reported on an ancestor (e.g. a missing field inside the object) also counts. */
function isAncestor(bad: string, path: string): boolean {
  return bad === '' ? false : path.startsWith(`${bad}.`) || path.startsWith(`${bad}[`);
}

/** How deeply lists and mappings may nest (the format itself needs 4; the rest is for strategy options). */
export const MAX_NESTING_DEPTH = 64;

/**
 * The first list or mapping nested deeper than MAX_NESTING_DEPTH, found without recursion, so the
 * checks after it (which recurse) cannot overflow the stack. A cyclic value (a YAML alias inside
 * the collection it names) counts as nested too deeply.
 */
function nestingIssue(root: unknown): SpecIssue | undefined {
  type Frame = { value: unknown; depth: number; parent?: Frame; key?: string | number };
  const stack: Frame[] = [{ value: root, depth: 1 }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    const { value, depth } = frame;
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_NESTING_DEPTH) {
      const keys: (string | number)[] = [];
      for (let f: Frame | undefined = frame; f?.key !== undefined; f = f.parent) keys.unshift(f.key);
      return {
        path: keys.reduce<string>((path, key) => joinPath(path, key), ''),
        message: `is nested too deeply: lists and mappings may nest at most ${MAX_NESTING_DEPTH} levels (a YAML alias may not refer to a collection that contains it)`,
      };
    }
    if (Array.isArray(value)) value.forEach((item, i) => stack.push({ value: item, depth: depth + 1, parent: frame, key: i }));
    else for (const [key, item] of Object.entries(value)) stack.push({ value: item, depth: depth + 1, parent: frame, key });
  }
  return undefined;
}
