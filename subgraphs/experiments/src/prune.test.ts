import { TOPICS } from '@fairsweep/service-kit';
import { claimsFor, eventually } from '@fairsweep/service-kit/testing';
import { startHarness, type Harness } from './testing-internal/experiments-harness.js';

const spec = (pruner: string) => `
apiVersion: fairsweep/v1
name: pruned-sweep
seed: 7
searchSpace: { lr: { type: float, low: 0.001, high: 1, log: true } }
objective: { metric: loss, direction: minimize }
strategy: { name: tpe, options: { nStartupTrials: 3 } }
${pruner}
budget: { maxTrials: 6, maxParallel: 3 }
trial: { command: [node, train.js] }
`;
const MEDIAN = 'pruner: { name: median, options: { nStartupTrials: 2 } }';
const REPLAY = `query($id: ID!) { replayExperiment(id: $id) { match checked matched
  prune { pruner checked matched firstDivergence { decision trialIndex trialId step field expected actual message } } } }`;

/** Pruning through real PostgreSQL: the experiments subgraph, with the harness playing compute. */
describe('pruning in the platform', () => {
  let h: Harness;
  const alice = claimsFor.member('alpha');
  let id: string;
  const trialsOf = async () => h.sql<{ id: string; trial_index: number; state: string; value: number | null; reason: string | null; suggestion: Record<string, unknown> }>(
    `SELECT id, trial_index, state, value, reason, suggestion FROM experiments.trial WHERE experiment_id = $1 ORDER BY trial_index`, [id]);
  const base = (t: { id: string }, at = 0) => ({ trialId: t.id, experimentId: id, tenant: 'alpha', attemptId: `att-${t.id}`, at: new Date(Date.parse('2026-01-01T00:00:00Z') + at).toISOString() });
  const report = (t: { id: string }, step: number, value: number) => h.computeEvent(TOPICS.trialMetricReported, { ...base(t, step * 1000), name: 'loss', value, step });
  const decisions = async (trialIndex: number) => (await h.sql(`SELECT * FROM experiments.prune_decision WHERE experiment_id = $1 AND trial_index = $2 ORDER BY metric_id`, [id, trialIndex]));

  beforeAll(async () => {
    h = await startHarness();
  }, 60_000);
  afterAll(async () => h?.close());

  it('refuses an unknown pruner or bad options at submit, precisely, and stores nothing', async () => {
    const submit = (text: string) => h.q(alice, 'mutation($s: String!) { submitExperiment(tenant: "alpha", spec: $s) { id } }', { s: text });
    const unknown = (await submit(spec('pruner: { name: patience }'))).errors![0]!;
    expect(unknown.extensions!.code).toBe('INVALID_SPEC');
    expect(unknown.extensions!.issues).toEqual([{ path: 'pruner.name', message: '"patience" is not an installed pruner; installed: asha, hyperband, median' }]);
    const bad = (await submit(spec('pruner: { name: median, options: { nStartup: 1 } }'))).errors![0]!;
    expect(bad.extensions!.issues).toEqual([{ path: 'pruner.options', message: 'pruner "median": unknown option "nStartup"; allowed: nStartupTrials, nWarmupSteps, intervalSteps, nMinTrials' }]);
    expect(await h.sql('SELECT count(*)::int AS n FROM experiments.experiment')).toEqual([{ n: 0 }]);
    expect((await h.q(alice, '{ pruners { name kind version apiVersion } }')).data!.pruners.map((p: { name: string }) => p.name)).toEqual(['asha', 'hyperband', 'median']);
  });

  it('prunes a trial worse than the median, records every decision, asks compute to stop it, and ends it pruned', async () => {
    const res = await h.q(alice, 'mutation($s: String!) { submitExperiment(tenant: "alpha", spec: $s) { id } }', { s: spec(MEDIAN) });
    expect(res.errors).toBeUndefined();
    id = res.data!.submitExperiment.id;
    const [t0, t1, t2] = await trialsOf();
    for (const t of [t0!, t1!, t2!]) await h.computeEvent(TOPICS.trialStarted, { ...base(t), attempt: 1, pool: 'local', host: 'h', devices: [] });
    // two good trials finish: 1/step
    for (const t of [t0!, t1!]) {
      for (const step of [1, 2, 3]) await report(t, step, 1 / step);
      await h.computeEvent(TOPICS.trialFinished, { ...base(t, 9000), outcome: 'succeeded', exitCode: 0, signal: null, reason: 'exited with code 0' });
    }
    await eventually(async () => (await trialsOf()).filter((t) => t.state === 'succeeded').length === 2, 10_000, 20);
    expect((await decisions(0)).map((d) => [d.step, d.prune])).toEqual([[1, false], [2, false], [3, false]]);
    expect((await decisions(0))[0].reason).toBe('0 of 2 startup trials succeeded');

    // trial 2 keeps up at step 1, then falls behind at step 2: pruned there
    await report(t2!, 1, 0.9);
    await report(t2!, 2, 5);
    await eventually(async () => (await decisions(2)).length === 2, 10_000, 20);
    const [keep, prune] = await decisions(2);
    expect(keep).toMatchObject({ prune: false, pruner: 'median', pruner_version: '0.1.0', options: { nStartupTrials: 2 }, step: 1, value: 0.9 });
    expect(prune).toMatchObject({
      prune: true, step: 2, value: 5, decided_by: 'pruner median@0.1.0',
      reason: 'best value 0.9 by step 2 is worse than the median 0.5 of 2 succeeded trials at that step',
      inputs: { states: { 0: 'succeeded', 1: 'succeeded' }, reports: 8 },
    });
    expect(prune.inputs_sha256).toMatch(/^[0-9a-f]{64}$/);
    const [stop] = await h.sql(`SELECT payload FROM experiments.outbox_event WHERE topic = 'trial.stop.requested'`);
    expect(stop!.payload).toMatchObject({ trialId: t2!.id, experimentId: id, tenant: 'alpha', reason: 'pruned', requestedBy: 'pruner median@0.1.0',
      message: 'median@0.1.0 at step 2: best value 0.9 by step 2 is worse than the median 0.5 of 2 succeeded trials at that step' });
    // a report after the decision (the signal takes a moment) is recorded but not judged again
    await report(t2!, 3, 4);
    expect(await decisions(2)).toHaveLength(2);

    // compute stopped the attempt through its cancel path: the trial ends pruned, not cancelled
    await h.computeEvent(TOPICS.trialFinished, { ...base(t2!, 9000), outcome: 'cancelled', exitCode: null, signal: 'SIGTERM', reason: `pruned: ${stop!.payload.message}` });
    await eventually(async () => (await trialsOf())[2]!.state === 'pruned', 10_000, 20);
    const after = await trialsOf();
    expect(after[2]).toMatchObject({ state: 'pruned', value: 5, reason: `pruned by ${stop!.payload.message}` });
    // the sweep goes on: the next suggestion is conditioned on the pruned trial too
    expect(after.length).toBe(6);
    expect(after[5]!.suggestion.observedTrials).toEqual([0, 1, 2]);
    const progress = await h.q(alice, 'query($id: ID!) { experiment(id: $id) { progress { pruned succeeded } trials { state } } }', { id });
    expect(progress.data!.experiment.progress).toEqual({ pruned: 1, succeeded: 2 });
    await expect(h.sql(`UPDATE experiments.prune_decision SET prune = false WHERE experiment_id = $1`, [id])).rejects.toThrow(/append-only/);
  });

  it('replays every suggestion and prune decision; a changed intermediate value is the first divergence', async () => {
    const ok = (await h.q(alice, REPLAY, { id })).data!.replayExperiment;
    expect(ok).toEqual({ match: true, checked: 6, matched: 6, prune: { pruner: 'median', checked: 8, matched: 8, firstDivergence: null } });
    const [m] = await h.sql(`SELECT m.id, m.value FROM experiments.trial_metric m JOIN experiments.trial t ON t.id = m.trial_id
      WHERE t.experiment_id = $1 AND t.trial_index = 1 AND m.step = 2`, [id]);
    await h.sql('UPDATE experiments.trial_metric SET value = 0.75 WHERE id = $1', [m!.id]);
    try {
      const bad = (await h.q(alice, REPLAY, { id })).data!.replayExperiment;
      expect(bad.match).toBe(false);
      expect(bad.prune).toMatchObject({ checked: 8, matched: 4 });
      expect(bad.prune.firstDivergence).toMatchObject({ decision: 5, trialIndex: 1, step: 2, field: 'REPORT', expected: 0.5, actual: 0.75 });
      expect(bad.prune.firstDivergence.message).toBe('decision 5 (trial 1, step 2): the reported value it was made on: recorded 0.5, now 0.75');
    } finally {
      await h.sql('UPDATE experiments.trial_metric SET value = $2 WHERE id = $1', [m!.id, m!.value]);
    }
    expect((await h.q(alice, REPLAY, { id })).data!.replayExperiment.match).toBe(true);
  });
});
