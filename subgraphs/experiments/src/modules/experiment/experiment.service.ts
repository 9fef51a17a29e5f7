import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '@fairsweep/auth';
import { specHash } from '@fairsweep/sdk';
import { assertCan, errors, publishEvent, TOPICS, visibleTenantFilter, type ExperimentCancelRequested } from '@fairsweep/service-kit';
import { createStrategy } from '../sweep/strategy.registry.js';
import { createPruner } from '../prune/pruner.registry.js';
import { advanceExperiment, SCHEMA } from '../sweep/sweep.driver.js';
import { environmentIssues, type EnvironmentSnapshot } from '../environment/environment.rules.js';
import { ExperimentEntity, type ExperimentStatus } from './experiment.entity.js';
import { TemplateService } from '../template/template.service.js';
import { installedExecutors, rerunOverrideProblem, rerunSpec, type RerunOverrides } from '../lineage/rerun.rules.js';
import { registeredExecutors } from '../executor-registry/registered-pools.consumer.js';

export class ExperimentService {
  constructor(private readonly em: EntityManager, private readonly principal: Principal) {}

  /** Validates a spec and stores the experiment with its first trials; nothing is stored on error. */
  async submit(tenant: string, specText: string, format: 'yaml' | 'json' | null, environment: unknown = null): Promise<ExperimentEntity> {
    assertCan(this.principal, tenant, 'submit');
    return this.store(tenant, specText, format, checkEnvironment(environment), null);
  }

  /**
   * Starts a new experiment from a recorded one: same spec and seed, linked to it as its parent.
   * `overrides.executor` replaces `trial.executor` (an installed executor); the override is the
   * child's spec's difference from its parent's (`specOverrides`).
   */
  async rerun(id: string, environment: unknown = null, overrides: RerunOverrides = {}): Promise<ExperimentEntity> {
    const parent = await this.get(id);
    if (!parent) throw errors.notFound('experiment', id);
    assertCan(this.principal, parent.tenant, 'submit');
    const problem = rerunOverrideProblem(overrides, installedExecutors(process.env, await registeredExecutors(this.em)));
    if (problem) throw errors.invalidInput(problem.field, problem.message);
    const spec = rerunSpec(parent.spec, overrides);
    return this.store(parent.tenant, JSON.stringify(spec), 'json', checkEnvironment(environment), parent.id);
  }

  private async store(tenant: string, specText: string, format: 'yaml' | 'json' | null, environment: EnvironmentSnapshot | null, parentId: string | null): Promise<ExperimentEntity> {
    // Parses and validates; a spec that `extends` a template gets it merged in first (INVALID_SPEC on error).
    const { spec, template } = await new TemplateService(this.em, this.principal).resolveSpec(tenant, specText, format);
    const strategy = createStrategy(spec.strategy.name, spec.strategy.options);
    if ('error' in strategy) throw errors.invalidSpec(`invalid experiment spec\n${strategy.path}: ${strategy.error}`, [{ path: strategy.path, message: strategy.error }]);
    const pruner = spec.pruner ? createPruner(spec.pruner.name, spec.pruner.options) : null;
    if (pruner && 'error' in pruner) throw errors.invalidSpec(`invalid experiment spec\n${pruner.path}: ${pruner.error}`, [{ path: pruner.path, message: pruner.error }]);
    const executors = installedExecutors(process.env, await registeredExecutors(this.em));
    if (!executors.includes(spec.trial.executor)) {
      const message = `"${spec.trial.executor}" is not an installed executor; installed: ${executors.join(', ')}`;
      throw errors.invalidSpec(`invalid experiment spec\ntrial.executor: ${message}`, [{ path: 'trial.executor', message }]);
    }
    const id = randomUUID();
    await this.em.transactional(async (em) => {
      em.persist(
        em.create(ExperimentEntity, {
          id,
          tenant,
          project: spec.project,
          name: spec.name,
          spec,
          specHash: specHash(spec),
          seed: spec.seed,
          strategy: strategy.name,
          strategyVersion: strategy.version,
          status: 'running',
          createdBy: this.principal.subject,
          environment: environment as Record<string, unknown> | null,
          parentId,
          templateName: template?.name ?? null,
          templateVersion: template?.version ?? null,
          templateHash: template?.hash ?? null,
        }),
      );
      await em.flush();
      await advanceExperiment(em, id);
    });
    return this.em.findOneOrFail(ExperimentEntity, { id }, { refresh: true });
  }

  /** Asks compute to stop the experiment's trials; the experiment ends once they have stopped. */
  async cancel(id: string, reason: string | null): Promise<ExperimentEntity> {
    const exp = await this.get(id);
    if (!exp) throw errors.notFound('experiment', id);
    assertCan(this.principal, exp.tenant, 'submit');
    await this.em.transactional(async (em) => {
      await em.execute('SELECT id FROM experiments.experiment WHERE id = ? FOR UPDATE', [id]);
      const locked = await em.findOneOrFail(ExperimentEntity, { id }, { refresh: true });
      if (locked.status !== 'running') throw errors.conflict(`experiment ${id} is ${locked.status}; only running experiments can be cancelled`, { status: locked.status });
      locked.status = 'cancelling';
      const payload: ExperimentCancelRequested = { experimentId: id, tenant: exp.tenant, requestedBy: this.principal.subject, reason: reason ?? 'cancelled by user' };
      await publishEvent(em, SCHEMA, { topic: TOPICS.experimentCancelRequested, aggregateId: id, tenant: exp.tenant, payload: { ...payload } });
      await em.flush();
      await advanceExperiment(em, id);
    });
    return this.em.findOneOrFail(ExperimentEntity, { id }, { refresh: true });
  }

  async get(id: string): Promise<ExperimentEntity | null> {
    if (!isUuid(id)) return null;
    const exp = await this.em.findOne(ExperimentEntity, { id });
    return exp && this.principal.canSee(exp.tenant) ? exp : null;
  }

  async list(tenant: string | null, status: ExperimentStatus | null, limit: number): Promise<ExperimentEntity[]> {
    const visible = visibleTenantFilter(this.principal);
    if (tenant !== null && !this.principal.canSee(tenant)) return [];
    const tenants = tenant !== null ? [tenant] : visible;
    return this.em.find(
      ExperimentEntity,
      { ...(tenants === null ? {} : { tenant: { $in: tenants } }), ...(status ? { status } : {}) },
      { orderBy: { createdAt: 'desc' }, limit: Math.min(Math.max(limit, 1), 500) },
    );
  }
}

/** Validates an environment snapshot argument; null or undefined means none. */
export function checkEnvironment(value: unknown): EnvironmentSnapshot | null {
  if (value === null || value === undefined) return null;
  const issues = environmentIssues(value);
  if (issues.length > 0) throw errors.invalidInput('environment', `invalid environment snapshot:\n${issues.join('\n')}`);
  return value as EnvironmentSnapshot;
}

export function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}
