import { randomUUID } from 'node:crypto';
import type { Executor, ExecutorEvent, TrialLaunch } from '@fairsweep/sdk';
import { publishEvent, TOPICS, type ProjectQuotaChanged, type TrialCreated } from '@fairsweep/service-kit';
import { eventually } from '@fairsweep/service-kit/testing';
import type { ComputeHarness } from './compute-harness.js';

/** Publishes a project quota version from the fake tenancy and waits until compute has consumed it. */
export async function setProjectQuota(h: ComputeHarness, tenant: string, project: string, version: number, limits: Partial<Pick<ProjectQuotaChanged, 'cpus' | 'gpus' | 'memoryMb' | 'concurrentTrials'>>) {
  const payload: ProjectQuotaChanged = { tenant, project, version, cpus: null, gpus: null, memoryMb: null, concurrentTrials: null, ...limits, changedBy: 'root', reason: 'test' };
  await h.tenancy.em.fork().transactional((em) => publishEvent(em, 'tenancy', { topic: TOPICS.projectQuotaChanged, aggregateId: `${tenant}/${project}`, tenant, payload: { ...payload } }));
  await eventually(async () => {
    const [row] = await h.sql<{ done: boolean }>(
      `SELECT coalesce((SELECT last_id FROM compute.consumer_offset WHERE consumer = 'compute.project-quota'), 0) >= (SELECT max(id) FROM tenancy.outbox_event) AS done`,
    );
    return row!.done;
  });
}

export interface TrialSpec {
  tenant: string;
  project: string | null;
  resources: { cpus: number; gpus: number; memoryMb: number };
}

/**
 * Publishes trial.created events (one experiment per tenant/project pair) in transactions of `batch`
 * events; returns the trial ids in order. The default is larger than the event feed's read batch
 * (200) on purpose: a transaction spanning several reads once lost events (the feed sorted ids as
 * text; fixed in service-kit's outbox.ts).
 */
export async function publishTrials(h: ComputeHarness, specs: TrialSpec[], script: string, batch = 250): Promise<string[]> {
  const experiments = new Map<string, string>();
  const ids: string[] = [];
  for (let i = 0; i < specs.length; i += batch) {
    await h.experiments.em.fork().transactional(async (em) => {
      for (const [k, s] of specs.slice(i, i + batch).entries()) {
        const key = `${s.tenant}/${s.project}`;
        if (!experiments.has(key)) experiments.set(key, randomUUID());
        const trialId = randomUUID();
        ids.push(trialId);
        const t: TrialCreated = {
          trialId, experimentId: experiments.get(key)!, tenant: s.tenant, trialIndex: i + k, command: [process.execPath, '-e', script], env: {}, params: {},
          seed: i + k, resources: s.resources, executor: 'local', maxRuntimeSeconds: null, project: s.project,
        };
        await publishEvent(em, 'experiments', { topic: TOPICS.trialCreated, aggregateId: trialId, tenant: s.tenant, payload: { ...t } });
      }
    });
  }
  return ids;
}

/**
 * An in-process executor whose attempts start at once and succeed after `runMs()` ms: compute
 * sees the same events as from a real executor (started, exited), without a process per trial.
 */
export function quickExecutor(runMs: () => number): Executor & { launches: TrialLaunch[] } {
  const listeners = new Set<(e: ExecutorEvent) => void>();
  const launches: TrialLaunch[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const emit = (e: ExecutorEvent) => listeners.forEach((l) => l(e));
  return {
    name: 'quick', kind: 'executor', apiVersion: '1', version: '0.0.0', launches,
    submit: async (l) => {
      launches.push(l);
      emit({ type: 'started', attemptId: l.attemptId, at: new Date(), host: 'quick', devices: [] });
      const t = setTimeout(() => {
        timers.delete(t);
        emit({ type: 'exited', attemptId: l.attemptId, at: new Date(), outcome: 'succeeded', exitCode: 0, signal: null, reason: 'exited with code 0' });
      }, runMs());
      timers.add(t);
    },
    cancel: async () => undefined,
    onEvent: (l) => (listeners.add(l), () => void listeners.delete(l)),
    close: async () => {
      for (const t of timers) clearTimeout(t);
    },
  };
}
