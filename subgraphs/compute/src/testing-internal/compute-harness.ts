import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Migration } from '@mikro-orm/migrations';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Executor, ExecutorEvent, TrialLaunch } from '@fairsweep/sdk';
import {
  openDatabase, outboxTablesSql, publishEvent, PLATFORM_EVENT_TENANT, TOPICS, createLogger, type RunningService,
  type CohortPolicyChanged, type ExperimentCancelRequested, type TenantQuotaChanged, type TrialCreated, type TrialStopRequested,
} from '@fairsweep/service-kit';
import { createTestDatabase, eventually, TEST_SECRET, type TestDatabase } from '@fairsweep/service-kit/testing';
import { startCompute, type ComputeConfig } from '../index.js';

function outboxOnly(schema: string) {
  return class extends Migration {
    override async up(): Promise<void> {
      for (const sql of outboxTablesSql(schema)) this.addSql(sql);
    }
  };
}

/** A test database with fake tenancy/experiments producers (outbox tables only) and compute replicas. */
export class ComputeHarness {
  readonly replicas: RunningService[] = [];
  /** Warnings and errors compute logged (tests assert there are none unexpected). */
  readonly problems: string[] = [];
  readonly workRoot = mkdtempSync(join(tmpdir(), 'fairsweep-compute-'));
  private constructor(readonly db: TestDatabase, readonly tenancy: MikroORM, readonly experiments: MikroORM) {}

  static async create(): Promise<ComputeHarness> {
    const db = await createTestDatabase();
    const open = (schema: string) => openDatabase({ url: db.url, schema, entities: [], migrations: [{ name: 'outbox', class: outboxOnly(schema) }] });
    return new ComputeHarness(db, await open('tenancy'), await open('experiments'));
  }

  async start(overrides: Partial<ComputeConfig> = {}): Promise<RunningService> {
    const svc = await startCompute({
      databaseUrl: this.db.url, host: '127.0.0.1', port: 0, upstreamSecret: TEST_SECRET, eventPollMs: 200,
      pool: { name: 'local', cpus: 16, gpus: 0, memoryMb: 16384 },
      workRoot: join(this.workRoot, `replica-${this.replicas.length}`),
      admissionIntervalMs: 100, cancelGraceMs: 500,
      logger: createLogger('compute', (line) => {
        if (!/^\S+ info /.test(line)) this.problems.push(line);
      }),
      ...overrides,
    });
    this.replicas.push(svc);
    return svc;
  }

  /** Stops every replica started so far. */
  async stopReplicas(): Promise<void> {
    for (const r of this.replicas.splice(0)) await r.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.stopReplicas();
    await this.tenancy.close();
    await this.experiments.close();
    await this.db.drop();
    rmSync(this.workRoot, { recursive: true, force: true });
    // MikroORM's migrator drops a schema snapshot into ./src/migrations (service-kit leaves `snapshot` on).
    rmSync(join(process.cwd(), 'src', 'migrations', `.snapshot-${this.db.name}.json`), { force: true });
  }

  /** Publishes a quota version and waits until compute has consumed every tenancy event. */
  async setQuota(tenant: string, version: number, q: { cpus: number; gpus?: number; memoryMb?: number; concurrentTrials: number; weight?: number; priorityClasses?: string[]; gpuHoursBudget?: number | null; budgetPeriod?: string; budgetHalfLifeHours?: number | null; budgetSafeMode?: boolean; cohort?: string | null; borrowingLimit?: Record<string, number> | null; lendingLimit?: Record<string, number> | null; lendingHeadroom?: Record<string, number> | null; gpuFlavors?: { flavor: string; gpus: number; borrowingLimit?: number; lendingLimit?: number }[] | null }) {
    const payload: TenantQuotaChanged = { tenant, version, gpus: 0, memoryMb: 8192, ...q, changedBy: 'root', reason: 'test' };
    await this.tenancy.em.fork().transactional((em) => publishEvent(em, 'tenancy', { topic: TOPICS.tenantQuotaChanged, aggregateId: tenant, tenant, payload: { ...payload } }));
    await eventually(async () => {
      const [row] = await this.sql<{ done: boolean }>(
        `SELECT coalesce((SELECT last_id FROM compute.consumer_offset WHERE consumer = 'compute.tenant-quota'), 0) >= (SELECT max(id) FROM tenancy.outbox_event) AS done`,
      );
      return row!.done;
    });
  }

  /** Publishes a cohort policy version (a platform-wide event) and waits until compute has consumed it. */
  async setCohortPolicy(cohort: string, version: number, lendingHeadroom: Record<string, number> | null) {
    const payload: CohortPolicyChanged = { cohort, version, lendingHeadroom, changedBy: 'root', reason: 'test' };
    await this.tenancy.em.fork().transactional((em) => publishEvent(em, 'tenancy', { topic: TOPICS.cohortPolicyChanged, aggregateId: cohort, tenant: PLATFORM_EVENT_TENANT, payload: { ...payload } }));
    await eventually(async () => {
      const [row] = await this.sql<{ done: boolean }>(
        `SELECT coalesce((SELECT last_id FROM compute.consumer_offset WHERE consumer = 'compute.cohort-policy'), 0) >= (SELECT max(id) FROM tenancy.outbox_event) AS done`,
      );
      return row!.done;
    });
  }

  /** Publishes one long-running 1-GPU trial (30 min maximum), of `gpuType` when given; returns its id. */
  async createGpuTrial(tenant: string, experimentId: string, trialIndex: number, gpuType?: string | string[]): Promise<string> {
    const trialId = randomUUID();
    const t: TrialCreated = {
      trialId, experimentId, tenant, trialIndex, command: [process.execPath, '-e', LONG_TRIAL], env: {}, params: {}, seed: trialIndex,
      resources: { cpus: 1, gpus: 1, memoryMb: 128, ...(gpuType ? { gpuType } : {}) }, executor: 'local', maxRuntimeSeconds: 1800,
    };
    await this.experiments.em.fork().transactional((em) => publishEvent(em, 'experiments', { topic: TOPICS.trialCreated, aggregateId: trialId, tenant, payload: { ...t } }));
    return trialId;
  }

  /** The pool of the trial's active allocation, once it has one. */
  activePool(trialId: string): Promise<string> {
    return eventually(async () => (await this.sql<{ pool: string }>(`SELECT pool FROM compute.allocation WHERE trial_id = ? AND state = 'active'`, [trialId]))[0]?.pool);
  }

  /** Publishes `count` trial.created events of one experiment in one transaction; returns the trial ids. */
  async createTrials(tenant: string, experimentId: string, count: number, script: string, resources = { cpus: 0.5, gpus: 0, memoryMb: 128 }, priority?: string, maxRuntimeSeconds: number | null = null): Promise<string[]> {
    const ids = Array.from({ length: count }, () => randomUUID());
    await this.experiments.em.fork().transactional(async (em) => {
      for (const [trialIndex, trialId] of ids.entries()) {
        const t: TrialCreated = {
          trialId, experimentId, tenant, trialIndex, command: [process.execPath, '-e', script], env: {}, params: { lr: 0.1 },
          seed: 1000 + trialIndex, resources, executor: 'local', maxRuntimeSeconds, ...(priority ? { priority } : {}),
        };
        await publishEvent(em, 'experiments', { topic: TOPICS.trialCreated, aggregateId: trialId, tenant, payload: { ...t } });
      }
    });
    return ids;
  }

  cancelExperiment(tenant: string, experimentId: string, reason: string) {
    const c: ExperimentCancelRequested = { experimentId, tenant, requestedBy: 'alice', reason };
    return this.experiments.em.fork().transactional((em) =>
      publishEvent(em, 'experiments', { topic: TOPICS.experimentCancelRequested, aggregateId: experimentId, tenant, payload: { ...c } }),
    );
  }

  /** experiments asks compute to stop one trial (a pruning decision). */
  stopTrial(tenant: string, experimentId: string, trialId: string, message: string) {
    const s: TrialStopRequested = { trialId, experimentId, tenant, reason: 'pruned', message, requestedBy: 'pruner median@0.1.0', at: new Date().toISOString() };
    return this.experiments.em.fork().transactional((em) =>
      publishEvent(em, 'experiments', { topic: TOPICS.trialStopRequested, aggregateId: trialId, tenant, payload: { ...s } }),
    );
  }

  /** compute's published events, oldest first. */
  async events(topic?: string, tenant?: string): Promise<{ topic: string; tenant: string; payload: Record<string, unknown> }[]> {
    const rows = await this.sql<{ topic: string; tenant: string; payload: Record<string, unknown> }>(`SELECT topic, tenant, payload FROM compute.outbox_event ORDER BY id`);
    return rows.filter((r) => (!topic || r.topic === topic) && (!tenant || r.tenant === tenant));
  }

  sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
    return this.tenancy.em.getConnection().execute<T[]>(query, params);
  }

  /** Samples the number of active allocations of `tenant` every few ms until stopped; returns the maximum. */
  sampleActive(tenant: string): { stop(): Promise<number> } {
    let max = 0;
    let stopped = false;
    const loop = (async () => {
      while (!stopped) {
        const [row] = await this.sql<{ n: number }>(`SELECT count(*)::int AS n FROM compute.allocation WHERE state = 'active' AND tenant = ?`, [tenant]);
        max = Math.max(max, row!.n);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    return { stop: async () => ((stopped = true), await loop, max) };
  }

  /** The largest number of a tenant's allocations whose [admitted_at, released_at) intervals overlap. */
  async maxOverlap(tenant: string): Promise<number> {
    const rows = await this.sql<{ a: Date; r: Date | null }>(`SELECT admitted_at AS a, released_at AS r FROM compute.allocation WHERE tenant = ?`, [tenant]);
    const points = rows.flatMap((x) => [[new Date(x.a).getTime(), 1], [x.r ? new Date(x.r).getTime() : Infinity, -1]] as [number, number][]);
    points.sort((p, q) => p[0] - q[0] || p[1] - q[1]); // a release at the same instant comes first
    let cur = 0;
    let max = 0;
    for (const [, d] of points) max = Math.max(max, (cur += d));
    return max;
  }
}

/** An executor that records submits, reports `started`, and otherwise does what the test says. */
export function stubExecutor(name = 'stub'): Executor & { launches: TrialLaunch[]; emit(e: ExecutorEvent): void } {
  const listeners = new Set<(e: ExecutorEvent) => void>();
  const launches: TrialLaunch[] = [];
  const emit = (e: ExecutorEvent) => listeners.forEach((l) => l(e));
  return {
    name, kind: 'executor', apiVersion: '1', version: '0.0.0', launches, emit,
    submit: async (l) => {
      launches.push(l);
      emit({ type: 'started', attemptId: l.attemptId, at: new Date(), host: 'stub-host', devices: [] });
    },
    cancel: async () => undefined,
    onEvent: (l) => (listeners.add(l), () => void listeners.delete(l)),
    close: async () => undefined,
  };
}

export const SHORT_TRIAL = `setTimeout(() => console.log('FAIRSWEEP_METRIC loss=0.5'), 300)`;
export const LONG_TRIAL = `setTimeout(() => {}, 30000)`;
