import type { SpecIssue } from './spec.error.js';
import { semanticIssues } from './spec.semantics.js';
import { structuralIssues } from './spec.structure.js';

/**
 * Every problem in a spec document (the parsed YAML/JSON value, before normalisation); `[]` when
 * it is valid. Structure comes from SPEC_JSON_SCHEMA; semantic rules run on the parts whose
 * structure is right, so one mistake is reported once.
 */
export function validateSpec(value: unknown): SpecIssue[] {
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
