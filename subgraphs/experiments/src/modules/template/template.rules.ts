import { createHash } from 'node:crypto';
import {
  canonicalJson,
  mergeSpecTemplate,
  parseTemplateRef,
  PROJECT_SLUG_PATTERN,
  TEMPLATE_NAME_PATTERN,
  type SpecIssue,
} from '@fairsweep/sdk';

/** Pure rules for experiment templates: names, hashes, which version a reference picks, the merge. */

export interface StoredTemplateVersion {
  name: string;
  version: number;
  document: Record<string, unknown>;
  hash: string;
}

/** Where a resolved spec came from: recorded on the experiment. */
export interface TemplateProvenance {
  name: string;
  version: number;
  hash: string;
}

/** SHA-256 (hex) of a template document's canonical JSON. */
export function templateHash(document: unknown): string {
  return createHash('sha256').update(canonicalJson(document), 'utf8').digest('hex');
}

/** Problems with a template's name and project, worded like spec issues. */
export function templateNameIssues(project: string, name: string): SpecIssue[] {
  const issues: SpecIssue[] = [];
  if (!new RegExp(PROJECT_SLUG_PATTERN).test(project)) issues.push({ path: 'project', message: `must be a project slug (1 to 63 lowercase letters, digits or "-"), got ${JSON.stringify(project)}` });
  if (!new RegExp(TEMPLATE_NAME_PATTERN).test(name)) issues.push({ path: 'name', message: `must be a template name (1 to 63 lowercase letters, digits or "-", starting and ending with a letter or digit), got ${JSON.stringify(name)}` });
  return issues;
}

/**
 * The version a reference picks among a template's versions (`name` → the latest,
 * `name@3` → version 3), or the issue to report at `extends`.
 */
export function pickVersion(ref: string, project: string, versions: readonly StoredTemplateVersion[], known: readonly string[]): StoredTemplateVersion | SpecIssue {
  const { name, version } = parseTemplateRef(ref);
  const mine = versions.filter((v) => v.name === name).sort((a, b) => a.version - b.version);
  if (mine.length === 0) {
    const list = known.length > 0 ? known.map((k) => JSON.stringify(k)).join(', ') : 'none';
    return { path: 'extends', message: `no template ${JSON.stringify(name)} in project ${JSON.stringify(project)}; its templates: ${list}` };
  }
  if (version === null) return mine[mine.length - 1];
  const found = mine.find((v) => v.version === version);
  if (!found) return { path: 'extends', message: `template ${JSON.stringify(name)} has no version ${version}; its versions: 1 to ${mine[mine.length - 1].version}` };
  return found;
}

/** The spec document with its template merged in, plus what to record; `extends` needs `project`. */
export function applyTemplate(document: Record<string, unknown>, template: StoredTemplateVersion): { merged: Record<string, unknown>; provenance: TemplateProvenance } {
  return {
    merged: mergeSpecTemplate(template.document, document),
    provenance: { name: template.name, version: template.version, hash: template.hash },
  };
}
