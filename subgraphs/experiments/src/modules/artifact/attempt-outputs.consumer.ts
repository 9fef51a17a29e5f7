import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { hostname } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  FairsweepError, SOURCES, TOPICS, type ConsumerDefinition, type TrialFinished, type TrialPreempted, type TrialStarted,
} from '@fairsweep/service-kit';
import { storeArtifact, type ArtifactStorage } from './artifact.store.js';

/** Files the local executor writes into each attempt's work directory. */
export const ATTEMPT_LOG_FILES = ['stdout.log', 'stderr.log'] as const;

/** Upper bound for one ingested log (the local executor keeps at most 10 MiB per stream by default). */
export const MAX_LOG_BYTES = 256 * 1024 * 1024;

type Status = 'ingested' | 'unreachable' | 'refused' | 'failed';

/**
 * Registers each finished attempt's logs as `log` artifacts of that attempt. compute reports the
 * attempt's work directory in `trial.started`; when the attempt ends (finished or preempted) its
 * stdout.log and stderr.log are read — if this service can reach them (embedded / single-host
 * mode) — and stored; otherwise the reason is recorded. One `attempt_output` row per file either
 * way, written in the consumer's transaction, so each attempt is handled exactly once.
 */
export function attemptOutputsConsumer(storage: ArtifactStorage): ConsumerDefinition {
  return {
    name: 'experiments<-compute.attempt-outputs',
    source: SOURCES.compute,
    topics: [TOPICS.trialStarted, TOPICS.trialFinished, TOPICS.trialPreempted],
    handle: async (event, em) => {
      if (event.topic === TOPICS.trialStarted) return recordWorkDir(em, event.payload as unknown as TrialStarted);
      const e = event.payload as unknown as TrialFinished | TrialPreempted;
      if (e.attemptId) await ingestOutputs(em, storage, e.attemptId, 'outcome' in e ? `${e.outcome}: ${e.reason}` : `preempted: ${e.reason}`);
    },
  };
}

async function recordWorkDir(em: EntityManager, e: TrialStarted): Promise<void> {
  const [trial] = await em.execute<{ id: string }[]>('SELECT id FROM experiments.trial WHERE id = ? AND tenant = ?', [e.trialId, e.tenant]);
  if (!trial) return;
  await em.execute(
    `INSERT INTO experiments.attempt_workdir (attempt_id, tenant, trial_id, experiment_id, host, work_dir) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (attempt_id) DO NOTHING`,
    [e.attemptId, e.tenant, e.trialId, e.experimentId, e.host, e.workDir ?? null],
    'run',
  );
}

async function ingestOutputs(em: EntityManager, storage: ArtifactStorage, attemptId: string, ending: string): Promise<void> {
  const [attempt] = await em.execute<{ tenant: string; trial_id: string; experiment_id: string; host: string; work_dir: string | null }[]>(
    'SELECT tenant, trial_id, experiment_id, host, work_dir FROM experiments.attempt_workdir WHERE attempt_id = ?',
    [attemptId],
  );
  if (!attempt) return; // never started (or not one of ours): nothing was written
  const [done] = await em.execute<{ n: number }[]>('SELECT count(*)::int AS n FROM experiments.attempt_output WHERE attempt_id = ?', [attemptId]);
  if (done!.n > 0) return;
  for (const file of ATTEMPT_LOG_FILES) {
    const outcome = await ingestOne(em, storage, attemptId, attempt, file, ending);
    await em.execute(
      'INSERT INTO experiments.attempt_output (attempt_id, file, tenant, trial_id, status, artifact_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [attemptId, file, attempt.tenant, attempt.trial_id, outcome.status, outcome.artifactId ?? null, outcome.detail ?? null],
      'run',
    );
  }
}

async function ingestOne(
  em: EntityManager,
  storage: ArtifactStorage,
  attemptId: string,
  a: { tenant: string; trial_id: string; experiment_id: string; host: string; work_dir: string | null },
  file: string,
  ending: string,
): Promise<{ status: Status; artifactId?: string; detail?: string }> {
  if (!a.work_dir || !isAbsolute(a.work_dir)) {
    return { status: 'unreachable', detail: `the executor reported no work directory for attempt ${attemptId} (it ran on ${a.host})` };
  }
  const path = join(a.work_dir, file);
  let fh;
  try {
    // Never follow a link a trial may have left in its own directory.
    fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES') {
      return { status: 'unreachable', detail: `${path} is not readable from the experiments service on ${hostname()} (${code}; the attempt ran on ${a.host})` };
    }
    if (code === 'ELOOP') return { status: 'failed', detail: `${path} is a symbolic link; not followed` };
    return { status: 'failed', detail: `${path}: ${(err as Error).message}` };
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return { status: 'failed', detail: `${path} is not a regular file` };
    if (st.size > MAX_LOG_BYTES) return { status: 'failed', detail: `${path} is ${st.size} bytes; at most ${MAX_LOG_BYTES} are ingested` };
    const record = await storeArtifact(em, storage, {
      tenant: a.tenant, name: file, kind: 'log', content: fh.createReadStream({ autoClose: false }), maxBytes: st.size,
      experimentId: a.experiment_id, trialId: a.trial_id, attemptId, source: 'attempt-output',
      createdBy: 'system:experiments', reason: `output of attempt ${attemptId} (${ending})`,
    });
    return { status: 'ingested', artifactId: record.id };
  } catch (err) {
    if (err instanceof FairsweepError && err.code === 'STORAGE_QUOTA_EXCEEDED') return { status: 'refused', detail: err.message };
    return { status: 'failed', detail: `${path}: ${(err as Error).message}` };
  } finally {
    await fh.close();
  }
}
