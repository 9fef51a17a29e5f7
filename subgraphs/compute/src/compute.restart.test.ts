import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { eventually, TEST_SECRET } from '@fairsweep/service-kit/testing';
import { TOPICS } from '@fairsweep/service-kit';
import { LOST_ON_RESTART } from './index.js';
import { ComputeHarness, LONG_TRIAL, stubExecutor } from './testing-internal/compute-harness.js';

/** Reports step 1, then step 2 once a file `go` appears in its work dir, and exits 0. */
const WAITS_FOR_GO = `require('fs').appendFileSync('runs.txt', 'run\\n'); console.log('FAIRSWEEP_METRIC loss=1 step=1');
  const t = setInterval(() => { if (require('fs').existsSync('go')) { console.log('FAIRSWEEP_METRIC loss=0.5 step=2'); clearInterval(t); } }, 50);`;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
  } catch {
    return false;
  }
};

describe('compute: restart safety', () => {
  let h: ComputeHarness;
  beforeAll(async () => {
    h = await ComputeHarness.create();
  });
  afterAll(() => h?.close());

  it('releases allocations of a previous process and records the trial as failed, never relaunching it', async () => {
    const first = stubExecutor();
    const crashed = await h.start({ executor: first });
    await h.setQuota('demo', 1, { cpus: 4, concurrentTrials: 1 });
    const [running, queued] = await h.createTrials('demo', randomUUID(), 2, LONG_TRIAL);
    await eventually(async () => (await h.events(TOPICS.trialStarted, 'demo')).length === 1);
    expect(first.launches.map((l) => l.trialId)).toEqual([running]);
    await crashed.close(); // its executor (owned by the test) never reports the exit

    const second = stubExecutor();
    await h.start({ executor: second });
    const lost = await eventually(async () => (await h.events(TOPICS.trialFinished, 'demo')).find((e) => e.payload.trialId === running));
    expect(lost.payload).toMatchObject({ outcome: 'failed', reason: LOST_ON_RESTART, attemptId: first.launches[0]!.attemptId });
    expect(LOST_ON_RESTART).toBe('lost: compute restarted while the attempt was running');
    const [alloc] = await h.sql(`SELECT state, outcome, reason FROM compute.allocation WHERE trial_id = ?`, [running]);
    expect(alloc).toEqual({ state: 'released', outcome: 'failed', reason: LOST_ON_RESTART });
    // The queued trial is admitted by the new process; the lost one is never launched again.
    await eventually(() => second.launches.length === 1);
    expect(second.launches[0]!.trialId).toBe(queued);
    const finished = await h.events(TOPICS.trialFinished, 'demo');
    expect(finished.filter((e) => e.payload.trialId === running)).toHaveLength(1);
  });

  it('treats an exit reported after the allocation was released as a no-op (nothing doubled)', async () => {
    const third = stubExecutor();
    await h.start({ executor: third });
    const before = (await h.events(TOPICS.trialFinished)).length;
    const [{ attempt_id: attemptId }] = await h.sql<{ attempt_id: string }>(`SELECT attempt_id::text FROM compute.allocation WHERE state = 'released' LIMIT 1`);
    third.emit({ type: 'exited', attemptId, at: new Date(), outcome: 'succeeded', exitCode: 0, signal: null, reason: 'late' });
    await new Promise((r) => setTimeout(r, 300));
    expect((await h.events(TOPICS.trialFinished)).length).toBe(before);
  });

  it('records attempts its own executor stops at shutdown as failed (interrupted), not cancelled', async () => {
    await h.stopReplicas();
    const svc = await h.start(); // default local executor, owned and closed by compute
    await h.setQuota('stopme', 1, { cpus: 4, concurrentTrials: 1 });
    const [id] = await h.createTrials('stopme', randomUUID(), 1, LONG_TRIAL);
    await eventually(async () => (await h.events(TOPICS.trialStarted, 'stopme')).length === 1, 15_000);
    await svc.close();
    const [done] = await h.events(TOPICS.trialFinished, 'stopme');
    expect(done!.payload).toMatchObject({ trialId: id, outcome: 'failed', reason: 'interrupted: compute stopped while the attempt was running (executor closed)' });
  });

  describe('with an executor that can re-attach (local)', () => {
    const workRoot = () => join(h.workRoot, 'shared');
    const start = () => h.start({ workRoot: workRoot(), detachOnStop: true, replicaTimeoutMs: 1000 });
    const workDirs = async (trialIds: string[]) => {
      const rows = await h.sql<{ trial_id: string; work_dir: string | null; attempt_id: string }>(
        `SELECT trial_id, work_dir, attempt_id::text FROM compute.allocation WHERE trial_id = ANY(?::text[]) AND state = 'active'`, [`{${trialIds.join(',')}}`]);
      return rows;
    };
    const recoveries = (trialId: string) =>
      h.sql<{ action: string; reason: string }>(`SELECT action, reason FROM compute.attempt_recovery WHERE trial_id = ? ORDER BY id`, [trialId]);
    const metricsOf = async (trialId: string) =>
      (await h.events(TOPICS.trialMetricReported)).filter((e) => e.payload.trialId === trialId).map((e) => `${e.payload.name}=${e.payload.value}@${e.payload.step}`);

    beforeAll(() => h.stopReplicas());
    afterEach(() => h.stopReplicas());

    it('stopping compute without stopping its trials, then starting it again: each trial is re-attached, run once, its metrics recorded once', async () => {
      await start();
      await h.setQuota('reattach', 1, { cpus: 4, concurrentTrials: 2 });
      const ids = await h.createTrials('reattach', randomUUID(), 2, WAITS_FOR_GO);
      await eventually(async () => (await h.events(TOPICS.trialMetricReported, 'reattach')).length === 2, 15_000);
      const before = await workDirs(ids);
      const pids = before.map((r) => JSON.parse(readFileSync(join(r.work_dir!, 'pid.json'), 'utf8')).pid as number);
      await h.stopReplicas(); // detachOnStop: the trials keep running
      expect(pids.map(alive)).toEqual([true, true]);

      await start();
      for (const id of ids) {
        await eventually(async () => (await recoveries(id)).map((r) => r.action).join() === 'resubmit,reattached', 15_000);
      }
      for (const r of before) writeFileSync(join(r.work_dir!, 'go'), '');
      await eventually(async () => (await h.events(TOPICS.trialFinished, 'reattach')).length === 2, 15_000);
      for (const id of ids) {
        const finished = (await h.events(TOPICS.trialFinished, 'reattach')).filter((e) => e.payload.trialId === id);
        expect(finished.map((e) => e.payload)).toEqual([expect.objectContaining({ outcome: 'succeeded', attemptId: before.find((r) => r.trial_id === id)!.attempt_id })]);
        expect((await h.events(TOPICS.trialStarted, 'reattach')).filter((e) => e.payload.trialId === id)).toHaveLength(1);
        expect(await metricsOf(id)).toEqual(['loss=1@1', 'loss=0.5@2']); // step 1 was replayed on re-attach, recorded once
        expect(readFileSync(join(before.find((r) => r.trial_id === id)!.work_dir!, 'runs.txt'), 'utf8')).toBe('run\n');
        expect((await recoveries(id))[0]!.reason).toMatch(/^the compute replica that ran it \(replica-.+\) is gone; re-submitted to executor local to re-attach$/);
        expect((await recoveries(id))[1]!.reason).toBe(`re-attached: the executor follows the attempt that kept running (pid ${pids[before.findIndex((r) => r.trial_id === id)]} on ${hostname()})`);
      }
      const [{ n }] = await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM compute.allocation WHERE tenant = 'reattach'`);
      expect(n).toBe(2);
    });

    it('a trial whose supervisor died meanwhile is recorded lost and retried as a new attempt, never run twice at once', async () => {
      await start();
      await h.setQuota('retry', 1, { cpus: 4, concurrentTrials: 1 });
      const [id] = await h.createTrials('retry', randomUUID(), 1, WAITS_FOR_GO);
      await eventually(async () => (await h.events(TOPICS.trialMetricReported, 'retry')).length === 1, 15_000);
      const [first] = await workDirs([id!]);
      const { pid } = JSON.parse(readFileSync(join(first!.work_dir!, 'pid.json'), 'utf8'));
      const { supervisorPid } = JSON.parse(readFileSync(join(first!.work_dir!, 'launched.json'), 'utf8'));
      await h.stopReplicas();
      process.kill(supervisorPid, 'SIGKILL'); // the trial runs on, unobserved: no exit can be recorded

      await start();
      await eventually(async () => (await recoveries(id!)).some((r) => r.action === 'retry'), 15_000);
      expect(alive(pid)).toBe(false); // killed before the retry starts
      const preempted = (await h.events(TOPICS.trialPreempted, 'retry')).map((e) => e.payload);
      expect(preempted).toEqual([expect.objectContaining({ attemptId: first!.attempt_id })]);
      expect(preempted[0]!.reason).toMatch(/^lost: its supervisor \(pid \d+\) is gone and no exit was recorded; killed its process group \d+, still running unobserved \[retryable\]; retried as a new attempt \(retry 1 of at most 3\)$/);
      const [second] = await eventually(async () => {
        const rows = await workDirs([id!]);
        return rows.length === 1 && rows[0]!.attempt_id !== first!.attempt_id && rows[0]!.work_dir ? rows : undefined;
      }, 15_000);
      expect(second!.work_dir).toMatch(/attempt-2$/);
      writeFileSync(join(second!.work_dir!, 'go'), '');
      const finished = await eventually(async () => (await h.events(TOPICS.trialFinished, 'retry'))[0], 15_000);
      expect(finished.payload).toMatchObject({ trialId: id, attemptId: second!.attempt_id, outcome: 'succeeded' });
      expect((await recoveries(id!)).map((r) => r.action)).toEqual(['resubmit', 'retry']);
      const allocs = await h.sql<{ attempt: number; outcome: string; reason: string }>(`SELECT attempt, outcome, reason FROM compute.allocation WHERE trial_id = ? ORDER BY attempt`, [id]);
      expect(allocs.map((a) => [a.attempt, a.outcome])).toEqual([[1, 'failed'], [2, 'succeeded']]);
    });

    it('SIGKILL of the process running compute: its trials keep running and the next compute re-attaches them', async () => {
      const dist = join(__dirname, '..', 'dist', 'index.js');
      if (!existsSync(dist)) throw new Error(`build compute first (npm run build -w @fairsweep/subgraph-compute): ${dist} is missing`);
      const config = {
        databaseUrl: h.db.url, host: '127.0.0.1', port: 0, upstreamSecret: TEST_SECRET, eventPollMs: 200,
        pool: { name: 'local', cpus: 16, gpus: 0, memoryMb: 16384 }, workRoot: workRoot(), admissionIntervalMs: 100, cancelGraceMs: 500, replicaTimeoutMs: 1000,
      };
      const child = spawn(process.execPath, ['-e', `require(${JSON.stringify(dist)}).startCompute(${JSON.stringify(config)}).then(() => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
      try {
        await new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('up') && resolve()));
        await h.setQuota('crash', 1, { cpus: 4, concurrentTrials: 1 });
        const [id] = await h.createTrials('crash', randomUUID(), 1, WAITS_FOR_GO);
        await eventually(async () => (await h.events(TOPICS.trialMetricReported, 'crash')).length === 1, 20_000);
        const [run] = await workDirs([id!]);
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
        const { pid } = JSON.parse(readFileSync(join(run!.work_dir!, 'pid.json'), 'utf8'));
        expect(alive(pid)).toBe(true);

        await start(); // the killed replica's heartbeat goes stale after replicaTimeoutMs, then it is taken over
        await eventually(async () => (await recoveries(id!)).map((r) => r.action).join() === 'resubmit,reattached', 20_000);
        writeFileSync(join(run!.work_dir!, 'go'), '');
        const finished = await eventually(async () => (await h.events(TOPICS.trialFinished, 'crash'))[0], 15_000);
        expect(finished.payload).toMatchObject({ trialId: id, attemptId: run!.attempt_id, outcome: 'succeeded' });
        expect(await metricsOf(id!)).toEqual(['loss=1@1', 'loss=0.5@2']);
      } finally {
        child.kill('SIGKILL');
      }
    });
  });
});
