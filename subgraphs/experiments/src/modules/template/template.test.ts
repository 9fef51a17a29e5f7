import { claimsFor } from '@fairsweep/service-kit/testing';
import { startHarness, type Harness } from '../../testing-internal/experiments-harness.js';

const TEMPLATE = `
searchSpace:
  optimizer: { type: categorical, choices: [adam, sgd] }
  momentum:  { type: float, low: 0.5, high: 0.99, when: { optimizer: sgd } }
  lr:        { type: float, low: 1.0e-4, high: 1.0e-1, log: true }
objective: { metric: loss, direction: minimize }
budget: { maxTrials: 6, maxParallel: 6 }
trial:
  command: [node, train.js, "--lr={lr}", "--momentum={momentum}", "--seed={seed}", "--run={trial.index}"]
  env: { A: "1" }
`;

const SPEC = (ref: string) => `
apiVersion: fairsweep/v1
extends: ${ref}
name: from-template
project: vision
seed: 11
budget: { maxTrials: 4 }
trial: { env: { B: "2" } }
`;

describe('experiment templates and conditional specs (real PostgreSQL)', () => {
  let h: Harness;
  const admin = claimsFor.member('alpha', 'tenant-admin');
  const member = claimsFor.member('alpha');
  const outsider = claimsFor.member('beta', 'tenant-admin');
  const publish = (claims: unknown, template: string, reason = 'team default', name = 'base') =>
    h.q(claims, 'mutation($t: String!, $p: String!, $n: String!, $x: String!, $r: String!) { createTemplateVersion(tenant: $t, project: $p, name: $n, template: $x, reason: $r) { name version hash createdBy reason document } }', { t: 'alpha', p: 'vision', n: name, x: template, r: reason });
  const submit = (claims: unknown, spec: string) =>
    h.q(claims, 'mutation($t: String!, $s: String!) { submitExperiment(tenant: $t, spec: $s) { id spec template { name version hash } trials { index params } } }', { t: 'alpha', s: spec });

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lets tenant admins publish numbered, hashed versions; others are refused or see nothing', async () => {
    const v1 = await publish(admin, TEMPLATE);
    expect(v1.errors).toBeUndefined();
    expect(v1.data!.createTemplateVersion).toMatchObject({ name: 'base', version: 1, createdBy: 'tenant-admin@alpha', reason: 'team default', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const v2 = await publish(admin, TEMPLATE.replace('maxParallel: 6', 'maxParallel: 2'), 'fewer at once');
    expect(v2.data!.createTemplateVersion.version).toBe(2);
    expect(v2.data!.createTemplateVersion.hash).not.toBe(v1.data!.createTemplateVersion.hash);

    expect((await publish(member, TEMPLATE)).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect((await h.q(outsider, 'mutation { createTemplateVersion(tenant: "alpha", project: "vision", name: "x", template: "{}", reason: "r") { version } }')).errors![0]!.extensions!.code).toBe('NOT_FOUND');
    const seen = await h.q(outsider, '{ experimentTemplates(tenant: "alpha") { name } }');
    expect(seen.data!.experimentTemplates).toEqual([]);
    const listed = await h.q(member, '{ experimentTemplates(tenant: "alpha", project: "vision") { name version reason } }');
    expect(listed.data!.experimentTemplates).toEqual([
      { name: 'base', version: 1, reason: 'team default' },
      { name: 'base', version: 2, reason: 'fewer at once' },
    ]);
  });

  it('refuses an invalid template with paths, and keeps versions immutable in PostgreSQL', async () => {
    const bad = await publish(admin, 'budget: { maxTrials: 0 }\nextends: other\n', 'bad');
    expect(bad.errors![0]!.extensions!.code).toBe('INVALID_SPEC');
    expect((bad.errors![0]!.extensions!.issues as { path: string }[]).map((i) => i.path)).toEqual(['extends', 'budget.maxTrials']);
    await expect(h.sql("UPDATE experiments.template_version SET reason = 'x'")).rejects.toThrow(/template versions are immutable/);
    await expect(h.sql('DELETE FROM experiments.template_version')).rejects.toThrow(/template versions are immutable/);
  });

  it('resolves extends at submit (pinned or latest), validates the merge and records the template as provenance', async () => {
    const pinned = await submit(member, SPEC('base@1'));
    expect(pinned.errors).toBeUndefined();
    const exp = pinned.data!.submitExperiment;
    expect(exp.template).toMatchObject({ name: 'base', version: 1 });
    expect(exp.spec.budget).toEqual({ maxTrials: 4, maxParallel: 6 }); // maps merge deeply
    expect(exp.spec.trial.env).toEqual({ A: '1', B: '2' });
    expect(exp.spec.extends).toBeUndefined();
    const latest = await submit(member, SPEC('base'));
    expect(latest.data!.submitExperiment.template.version).toBe(2);
    expect(latest.data!.submitExperiment.spec.budget.maxParallel).toBe(2);

    const unknown = await submit(member, SPEC('nope'));
    expect(unknown.errors![0]!.extensions!.issues).toEqual([{ path: 'extends', message: 'no template "nope" in project "vision"; its templates: "base"' }]);
    const missingVersion = await submit(member, SPEC('base@9'));
    expect(missingVersion.errors![0]!.message).toContain('extends: template "base" has no version 9; its versions: 1 to 2');
    const invalidMerge = await submit(member, SPEC('base@1').replace('budget: { maxTrials: 4 }', 'budget: { maxTrials: 4, maxParallel: 0 }'));
    expect((invalidMerge.errors![0]!.extensions!.issues as { path: string }[])[0]!.path).toBe('budget.maxParallel');
    await expect(h.sql("UPDATE experiments.experiment SET template_version = 2 WHERE id = $1", [exp.id])).rejects.toThrow(/template they were resolved from cannot change/);
  });

  it('suggests only active conditional parameters and renders the command per trial, dropping inactive arguments', async () => {
    const res = await submit(member, SPEC('base@1').replace('maxTrials: 4', 'maxTrials: 6'));
    const exp = res.data!.submitExperiment;
    expect(exp.trials).toHaveLength(6);
    const events = await h.sql<{ payload: { trialIndex: number; command: string[]; params: Record<string, unknown>; seed: number } }>(
      "SELECT payload FROM experiments.outbox_event WHERE topic = 'trial.created' AND payload->>'experimentId' = $1 ORDER BY id", [exp.id],
    );
    expect(events).toHaveLength(6);
    const branches = new Set<string>();
    for (const { payload: t } of events) {
      branches.add(String(t.params.optimizer));
      expect(Object.keys(t.params).sort()).toEqual(t.params.optimizer === 'sgd' ? ['lr', 'momentum', 'optimizer'] : ['lr', 'optimizer']);
      const expected = ['node', 'train.js', `--lr=${t.params.lr}`, ...(t.params.optimizer === 'sgd' ? [`--momentum=${t.params.momentum}`] : []), `--seed=${t.seed}`, `--run=${t.trialIndex}`];
      expect(t.command).toEqual(expected);
    }
    expect(branches).toEqual(new Set(['adam', 'sgd']));
  });

  it('stops creating trials once budget.deadline has passed, and records why', async () => {
    const res = await submit(member, SPEC('base@1').replace('budget: { maxTrials: 4 }', 'budget: { maxTrials: 6, maxParallel: 2, deadline: 1s }'));
    expect(res.errors).toBeUndefined();
    const id = res.data!.submitExperiment.id;
    expect(res.data!.submitExperiment.trials).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 1100));
    await h.runSweep(id, 'alpha', 1);
    const done = await h.q(member, 'query($id: ID!) { experiment(id: $id) { status stopReason trials { index } } }', { id });
    expect(done.data!.experiment.trials).toHaveLength(2);
    expect(done.data!.experiment.status).not.toBe('running');
    expect(done.data!.experiment.stopReason).toMatch(/^deadline .* passed \(budget.deadline 1s\); no new trials after it$/);
  });
});
