import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '@fairsweep/auth';
import { formatSpecIssues, normalizeSpec, parseJson, parseYaml, SpecError, templateIssues, type ExperimentSpec } from '@fairsweep/sdk';
import { assertCan, errors } from '@fairsweep/service-kit';
import { TemplateVersionEntity } from './template-version.entity.js';
import { applyTemplate, pickVersion, templateHash, templateNameIssues, type TemplateProvenance } from './template.rules.js';

/** Experiment templates per (tenant, project, name): immutable versions, created by tenant admins. */
export class TemplateService {
  constructor(private readonly em: EntityManager, private readonly principal: Principal) {}

  /** Publishes the next version of a template (version 1 creates it). INVALID_SPEC names each bad field. */
  async createVersion(tenant: string, project: string, name: string, text: string, format: 'yaml' | 'json' | null, reason: string): Promise<TemplateVersionEntity> {
    assertCan(this.principal, tenant, 'administer');
    if (reason.trim() === '') throw errors.invalidInput('reason', 'reason must say why this version is published');
    const document = parseDocument(text, format);
    const issues = [...templateNameIssues(project, name), ...templateIssues(document)];
    if (issues.length > 0) throw errors.invalidSpec(formatSpecIssues(issues).replace('invalid experiment spec', 'invalid experiment template'), issues);
    return this.em.transactional(async (em) => {
      // One writer per template at a time, so version numbers have no gaps and no duplicates.
      await em.execute('SELECT pg_advisory_xact_lock(hashtext(?))', [`template:${tenant}/${project}/${name}`]);
      const [{ latest }] = await em.execute<{ latest: number | null }[]>(
        'SELECT max(version) AS latest FROM experiments.template_version WHERE tenant = ? AND project = ? AND name = ?',
        [tenant, project, name],
      );
      const row = em.create(TemplateVersionEntity, {
        id: randomUUID(),
        tenant,
        project,
        name,
        version: (latest ?? 0) + 1,
        document: document as Record<string, unknown>,
        hash: templateHash(document),
        createdBy: this.principal.subject,
        reason,
      });
      em.persist(row);
      await em.flush();
      return row;
    });
  }

  /** Versions visible to the caller, oldest first; `name` narrows to one template. */
  async versions(tenant: string, project: string | null, name: string | null): Promise<TemplateVersionEntity[]> {
    if (!this.principal.canSee(tenant)) return [];
    return this.em.find(
      TemplateVersionEntity,
      { tenant, ...(project ? { project } : {}), ...(name ? { name } : {}) },
      { orderBy: { project: 'asc', name: 'asc', version: 'asc' }, limit: 1000 },
    );
  }

  /**
   * Parses a submitted spec text and, when it says `extends`, merges the project's template into
   * it (see mergeSpecTemplate) before validating the result. Throws INVALID_SPEC with paths.
   */
  async resolveSpec(tenant: string, text: string, format: 'yaml' | 'json' | null): Promise<{ spec: ExperimentSpec; template: TemplateProvenance | null }> {
    const document = parseDocument(text, format);
    const ref = isMapping(document) && typeof document.extends === 'string' ? document.extends : null;
    if (ref === null || !isMapping(document)) return { spec: normalize(document), template: null };
    const project = document.project;
    if (typeof project !== 'string') {
      const issue = { path: 'project', message: `is required when the spec extends a template (templates belong to a project); got ${project === undefined ? 'nothing' : JSON.stringify(project)}` };
      throw errors.invalidSpec(formatSpecIssues([issue]), [issue]);
    }
    const rows = await this.em.find(TemplateVersionEntity, { tenant, project }, { orderBy: { name: 'asc', version: 'asc' } });
    const picked = pickVersion(ref, project, rows, [...new Set(rows.map((r) => r.name))]);
    if ('path' in picked) throw errors.invalidSpec(formatSpecIssues([picked]), [picked]);
    const { merged, provenance } = applyTemplate(document, picked);
    return { spec: normalize(merged), template: provenance };
  }
}

function normalize(document: unknown): ExperimentSpec {
  try {
    return normalizeSpec(document);
  } catch (err) {
    if (err instanceof SpecError) throw errors.invalidSpec(err.message, err.issues);
    throw err;
  }
}

function parseDocument(text: string, format: 'yaml' | 'json' | null): unknown {
  try {
    const json = format === 'json' || (format === null && text.trimStart().startsWith('{'));
    return json ? parseJson(text) : parseYaml(text);
  } catch (err) {
    if (err instanceof SpecError) throw errors.invalidSpec(err.message, err.issues);
    throw err;
  }
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
