import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { gql, runCli, startTestPlatform, type TestPlatform } from './harness.js';

/**
 * Pruning end to end: the platform with the real local executor on a throwaway PostgreSQL runs a
 * median-pruned sweep. Trials use the SDK's Node helper: they report a learning curve and, on
 * SIGTERM, write down the stop reason they read from FAIRSWEEP_STOP_FILE. Bad trials (odd index)
 * get pruned, receive the signal and end `pruned`; good ones finish; replay re-derives every
 * suggestion and decision, and a changed intermediate value is reported as the first divergence.
 */
const TRIAL = `
const { writeFileSync } = require('node:fs');
const { onStop, report } = require(process.env.FAIRSWEEP_PROJECT_DIR + '/sdk/dist/index.js');
const index = Number(process.env.FAIRSWEEP_TRIAL_INDEX);
const base = index % 2 === 1 ? 3 : 1;
onStop((stop) => {
  writeFileSync(process.env.OUT_DIR + '/stop-' + index + '.json', JSON.stringify({ signal: 'SIGTERM', stop }));
  process.exit(0);
});
let step = 1;
const tick = () => {
  report({ loss: base + 1 / step }, step);
  if (step++ < 12) setTimeout(tick, 250);
};
tick();
`;

describe('pruning end to end (local executor, real processes)', () => {
  let tp: TestPlatform;
  let env: Record<string, string>;
  let dir: string;
  let experimentId: string;
  const q = (query: string, variables: Record<string, unknown> = {}) => gql(tp.platform.gatewayUrl, env.FAIRSWEEP_TOKEN!, query, variables);

  beforeAll(async () => {
    tp = await startTestPlatform();
    const token = tp.platform.mintDevToken({ sub: 'ada', roles: [], memberships: [{ tenant: 'demo', role: 'tenant-admin' }] });
    env = { FAIRSWEEP_URL: tp.platform.gatewayUrl, FAIRSWEEP_TOKEN: token };
    dir = mkdtempSync(join(tmpdir(), 'fs-prune-e2e-'));
    writeFileSync(join(dir, 'trial.js'), TRIAL);
  });
  afterAll(async () => {
    await tp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prunes the bad trials (SIGTERM + stop reason), finishes the good ones, and the sweep completes', async () => {
    const spec = `apiVersion: fairsweep/v1
name: pruned-e2e
seed: 3
searchSpace: { lr: { type: float, low: 0.001, high: 1, log: true } }
objective: { metric: loss, direction: minimize }
strategy: { name: random }
pruner: { name: median, options: { nStartupTrials: 2 } }
budget: { maxTrials: 8, maxParallel: 3 }
trial:
  command: [node, ${JSON.stringify(join(dir, 'trial.js'))}]
  env: { OUT_DIR: ${JSON.stringify(dir)} }
  resources: { cpus: 0.5, memoryMb: 128 }
  maxRuntimeSeconds: 60
`;
    const res = await q('mutation($s: String!) { submitExperiment(tenant: "demo", spec: $s) { id } }', { s: spec });
    expect(res.errors).toBeUndefined();
    experimentId = res.data.submitExperiment.id;
    let exp: { status: string; progress: { pruned: number; succeeded: number }; trials: { index: number; state: string; reason: string | null }[] } | undefined;
    for (let i = 0; i < 240; i++) {
      exp = (await q('query($id: ID!) { experiment(id: $id) { status progress { pruned succeeded } trials { index state reason } } }', { id: experimentId })).data.experiment;
      if (exp!.status !== 'RUNNING') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(exp!.status).toBe('SUCCEEDED');
    const byIndex = new Map(exp!.trials.map((t) => [t.index, t]));
    for (const i of [0, 2, 4, 6]) expect(byIndex.get(i)!.state).toBe('SUCCEEDED');
    for (const i of [3, 5, 7]) {
      const t = byIndex.get(i)!;
      expect(t.state).toBe('PRUNED');
      expect(t.reason).toMatch(/^pruned by median@0\.1\.0 at step \d: best value [34](\.\d+)? by step \d is worse than the median/);
      // the trial got SIGTERM and read a machine-readable reason from FAIRSWEEP_STOP_FILE
      const got = JSON.parse(readFileSync(join(dir, `stop-${i}.json`), 'utf8'));
      expect(got).toMatchObject({ signal: 'SIGTERM', stop: { reason: 'pruned', message: expect.stringMatching(/^pruned: median@0\.1\.0 at step \d: /), attemptId: expect.any(String) } });
    }
    expect(['SUCCEEDED', 'PRUNED']).toContain(byIndex.get(1)!.state);
    for (const i of [0, 2, 4, 6]) expect(existsSync(join(dir, `stop-${i}.json`))).toBe(false);
    const pruned = exp!.trials.filter((t) => t.state === 'PRUNED').length;
    expect(exp!.progress).toEqual({ pruned, succeeded: 8 - pruned });
    const decisions = await q('query($id: ID!) { pruneDecisions(experimentId: $id, prunedOnly: true) { trialIndex step pruner prunerVersion prune inputsSha256 } }', { id: experimentId });
    expect(decisions.data.pruneDecisions.map((d: { trialIndex: number }) => d.trialIndex).sort()).toEqual(exp!.trials.filter((t) => t.state === 'PRUNED').map((t) => t.index).sort());
  }, 120_000);

  it('replays every suggestion and pruning decision (exit 0); a changed intermediate value is the first divergence (exit 1)', async () => {
    const ok = await runCli(['replay', experimentId], env);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/8\/8 trials match\npruner median: (\d+)\/\1 decisions match\nmatch: every suggestion and seed and every pruning decision/);
    const pg = new Client({ connectionString: tp.db.url });
    await pg.connect();
    try {
      const { rows } = await pg.query(`SELECT d.metric_id, d.step, d.trial_index FROM experiments.prune_decision d WHERE d.experiment_id = $1 AND d.trial_index = 0 AND d.step = 2`, [experimentId]);
      await pg.query('UPDATE experiments.trial_metric SET value = 42 WHERE id = $1', [rows[0].metric_id]);
    } finally {
      await pg.end();
    }
    const bad = await runCli(['replay', experimentId], env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/DIVERGED at pruning decision \d+, trial 0 \([0-9a-f-]{36}\) step 2: report\n {2}expected \(recorded\): {2}1\.5\n {2}actual \(re-derived\): {2}42\n/);
  }, 60_000);
});
