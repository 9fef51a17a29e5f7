import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { signUpstream, SIGNATURE_EXTENSION } from '@fairsweep/auth';
import { TOPICS } from '@fairsweep/service-kit';
import { claimsFor, eventually, TEST_SECRET } from '@fairsweep/service-kit/testing';
import { startHarness, type Harness } from './testing-internal/experiments-harness.js';

const SPEC = `
apiVersion: fairsweep/v1
kind: Experiment
name: stamps
project: vision
seed: 13
searchSpace: { x: { type: float, low: 0, high: 1 } }
objective: { metric: loss, direction: minimize }
pruner: { name: median, options: { nStartupTrials: 5 } }
budget: { maxTrials: 2, maxParallel: 2 }
trial: { command: [node, train.js], resources: { cpus: 1, gpus: 0, memoryMb: 128 } }
`;
const COMMIT = 'e'.repeat(40);
const TEMPLATE = 'objective: { metric: loss, direction: minimize }\n';
const b64 = (s: string) => Buffer.from(s).toString('base64');

// Every DateTimeISO field of the experiments schema, by field name.
const DATE_KEYS = new Set(['createdAt', 'finishedAt', 'startedAt', 'deletedAt', 'recordedAt', 'reportedAt', 'registeredAt', 'decidedAt', 'at']);
const EXP = 'createdAt finishedAt';
const TRIAL = `createdAt startedAt finishedAt metrics { reportedAt } artifacts { createdAt deletedAt } attemptOutputs { recordedAt } experiment { ${EXP} }`;
const EXPERIMENT = `${EXP} trials { ${TRIAL} } bestTrial { ${TRIAL} } artifacts { createdAt deletedAt } parent { ${EXP} } children { ${EXP} }`;
const ARTIFACT = `createdAt deletedAt experiment { ${EXP} } trial { createdAt startedAt finishedAt }`;

/** [path without list indices, value] of every date field in a response. */
function stamps(value: unknown, path = ''): [string, unknown][] {
  if (Array.isArray(value)) return value.flatMap((v) => stamps(v, path));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]): [string, unknown][] => (DATE_KEYS.has(k) ? [[`${path}${k}`, v]] : stamps(v, `${path}${k}.`)));
}

const iso = (v: unknown) => typeof v === 'string' && new Date(v).toISOString() === v;

/**
 * The response has no errors, every date in it is an ISO string that round-trips, and each date
 * field queried has a value somewhere (not only nulls), except those in `mayBeNull`.
 */
function expectIsoDates(res: { errors?: unknown; data?: unknown }, mayBeNull: string[] = []): void {
  expect(res.errors).toBeUndefined();
  const all = stamps(res.data);
  expect(all.length).toBeGreaterThan(0);
  expect(all.filter(([, v]) => v !== null && !iso(v))).toEqual([]);
  const withValue = new Set(all.filter(([, v]) => v !== null).map(([p]) => p));
  expect([...new Set(all.map(([p]) => p))].filter((p) => !withValue.has(p) && !mayBeNull.includes(p))).toEqual([]);
}

/**
 * Regression: every DateTimeISO field reachable through the experiments API is served as an ISO
 * string, whichever way its value is read (entities, raw SQL, events) — a raw row's timestamp is
 * a string the scalar refuses (INTERNAL_SERVER_ERROR).
 */
describe('experiments serves every timestamp as an ISO date (real PostgreSQL)', () => {
  let h: Harness;
  let root: string;
  let ws: WsClient;
  const admin = claimsFor.member('alpha', 'tenant-admin');
  const events: unknown[] = [];
  let expId: string;
  let trialIds: string[];
  let deletedArtifactId: string;
  let childId: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'fs-timestamps-'));
    h = await startHarness({ artifactRoot: join(root, 'store') });
    const res = await h.q(admin, 'mutation($s: String!, $e: JSON) { submitExperiment(tenant: "alpha", spec: $s, environment: $e) { id trials { id } } }', {
      s: SPEC, e: { git: { commit: COMMIT, dirty: false, diffSha256: null } },
    });
    expect(res.errors).toBeUndefined();
    expId = res.data!.submitExperiment.id;
    trialIds = res.data!.submitExperiment.trials.map((t: { id: string }) => t.id);

    ws = createClient({ url: h.svc.url.replace('http', 'ws'), webSocketImpl: WebSocket, lazy: false });
    const query = `subscription($id: ID!) { trialProgress(experimentId: $id) { kind at trial { createdAt startedAt finishedAt metrics { reportedAt } }
      metric { reportedAt } experiment { ${EXP} } } }`;
    const variables = { id: expId };
    ws.subscribe({ query, variables, extensions: { [SIGNATURE_EXTENSION]: signUpstream(TEST_SECRET, { query, variables, claims: admin }) } } as any, {
      next: (m) => events.push(m), error: (e) => events.push({ errors: [e] }), complete: () => undefined,
    });
    await new Promise((r) => setTimeout(r, 400));

    // Plays compute: each trial starts (on a host this service cannot reach), reports, succeeds.
    for (const [i, trialId] of trialIds.entries()) {
      const base = { trialId, experimentId: expId, tenant: 'alpha', attemptId: `att-${i}` };
      const at = (s: number) => new Date(Date.parse('2026-02-01T10:00:00.123Z') + i * 60_000 + s * 1000).toISOString();
      await h.computeEvent(TOPICS.trialStarted, { ...base, attempt: 1, pool: 'local', host: 'node-9', devices: [], workDir: `/nonexistent/fairsweep/att-${i}`, at: at(0) });
      await h.computeEvent(TOPICS.trialMetricReported, { ...base, name: 'loss', value: 0.5 - i / 10, step: 1, at: at(1) });
      await h.computeEvent(TOPICS.trialFinished, { ...base, outcome: 'succeeded', exitCode: 0, signal: null, reason: 'exit 0', at: at(2) });
    }
    await eventually(async () => (await h.sql('SELECT status FROM experiments.experiment WHERE id = $1', [expId]))[0]!.status === 'succeeded', 20_000);
    await eventually(async () => (await h.sql('SELECT count(*)::int AS n FROM experiments.attempt_output'))[0]!.n === 4, 20_000);
    await eventually(async () => (await h.sql('SELECT count(*)::int AS n FROM experiments.prune_decision'))[0]!.n === 2, 20_000);
    await eventually(() => events.some((m) => JSON.stringify(m).includes('EXPERIMENT_FINISHED') || JSON.stringify(m).includes('"errors"')), 20_000);

    const upload = (content: string) => h.q(admin, `mutation($c: String!, $tr: ID!) { uploadArtifact(tenant: "alpha", name: "ckpt.pt", kind: CHECKPOINT, contentBase64: $c, trialId: $tr, reason: "epoch 1") { id } }`,
      { c: b64(content), tr: trialIds[0] });
    expect((await upload('kept')).errors).toBeUndefined();
    const gone = await upload('deleted');
    expect(gone.errors).toBeUndefined();
    deletedArtifactId = gone.data!.uploadArtifact.id;
    expect((await h.q(admin, 'mutation($id: ID!) { deleteArtifact(id: $id, reason: "superseded") { id } }', { id: deletedArtifactId })).errors).toBeUndefined();
    expect((await h.q(admin, 'mutation($x: String!) { createTemplateVersion(tenant: "alpha", project: "vision", name: "base", template: $x, reason: "v1") { id } }', { x: TEMPLATE })).errors).toBeUndefined();
    expect((await h.q(admin, 'mutation($c: String!) { registerDataset(tenant: "alpha", name: "tiny.csv", version: "1", contentBase64: $c) { name } }', { c: b64('a,b\n') })).errors).toBeUndefined();
    const child = await h.q(admin, 'mutation($id: ID!) { rerunExperiment(id: $id) { id } }', { id: expId });
    expect(child.errors).toBeUndefined();
    childId = child.data!.rerunExperiment.id;
  }, 120_000);

  afterAll(async () => {
    await ws?.dispose();
    await h?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('experiment, experiments and trial: their trials, metrics, artifacts, attempt outputs, parent and children', async () => {
    expectIsoDates(await h.q(admin, `query($id: ID!, $t: ID!) {
      experiment(id: $id) { ${EXPERIMENT} }
      experiments(tenant: "alpha") { ${EXP} }
      trial(id: $t) { ${TRIAL} }
    }`, { id: expId, t: trialIds[0] }), ['experiments.finishedAt', 'experiment.trials.artifacts.deletedAt', 'experiment.bestTrial.artifacts.deletedAt',
      'experiment.artifacts.deletedAt', 'experiment.children.finishedAt', 'trial.artifacts.deletedAt']);
    // the rerun: its parent, and the trials it has not started yet
    expectIsoDates(await h.q(admin, 'query($id: ID!) { experiment(id: $id) { createdAt parent { createdAt finishedAt } trials { createdAt } } }', { id: childId }));
  });

  it('provenance: trial, experiment, attempts, artifacts and attempt outputs', async () => {
    expectIsoDates(await h.q(admin, `query($t: ID!) { provenance(trialId: $t) {
      trial { ${TRIAL} } experiment { ${EXP} } attempts { startedAt finishedAt } artifacts { createdAt deletedAt } attemptOutputs { recordedAt }
    } }`, { t: trialIds[0] }), ['provenance.trial.artifacts.deletedAt', 'provenance.artifacts.deletedAt']);
  });

  it('artifacts (deleted ones too) and datasets', async () => {
    expectIsoDates(await h.q(admin, `query($a: ID!) {
      artifact(id: $a) { ${ARTIFACT} }
      artifacts(tenant: "alpha", includeDeleted: true) { ${ARTIFACT} }
      datasets(tenant: "alpha") { registeredAt artifact { createdAt deletedAt } }
    }`, { a: deletedArtifactId }), ['datasets.artifact.deletedAt', 'artifacts.experiment.finishedAt']);
  });

  it('templates, prune decisions, comparisons and the commit search', async () => {
    expectIsoDates(await h.q(admin, `query($id: ID!, $ids: [ID!]!, $c: String!) {
      experimentTemplates(tenant: "alpha") { createdAt }
      pruneDecisions(experimentId: $id) { decidedAt }
      compareExperiments(ids: $ids) { experiments { experiment { ${EXP} } } }
      experimentsByCommit(tenant: "alpha", commit: $c) { ${EXP} }
    }`, { id: expId, ids: [expId, childId], c: COMMIT }));
  });

  it('_entities: Experiment, Trial, Artifact, and the experiments it adds to Tenant', async () => {
    expectIsoDates(await h.q(admin, `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Experiment { ${EXPERIMENT} }
      ... on Trial { ${TRIAL} }
      ... on Artifact { createdAt deletedAt artifactExperiment: experiment { ${EXP} } artifactTrial: trial { createdAt startedAt finishedAt } }
      ... on Tenant { experiments { ${EXP} } }
    } }`, { r: [
      { __typename: 'Experiment', id: expId }, { __typename: 'Trial', id: trialIds[1] },
      { __typename: 'Artifact', id: deletedArtifactId }, { __typename: 'Tenant', slug: 'alpha' },
    ] }), ['_entities.trials.artifacts.deletedAt', '_entities.bestTrial.artifacts.deletedAt', '_entities.artifacts.deletedAt', '_entities.children.finishedAt']);
  });

  it('the results of its mutations', async () => {
    const up = await h.q(admin, 'mutation($c: String!, $tr: ID!) { uploadArtifact(tenant: "alpha", name: "m.pt", kind: MODEL, contentBase64: $c, trialId: $tr) { id createdAt deletedAt } }',
      { c: b64('model'), tr: trialIds[1] });
    expectIsoDates(up, ['uploadArtifact.deletedAt']);
    expectIsoDates(await h.q(admin, `mutation($id: ID!) { deleteArtifact(id: $id, reason: "test") { ${ARTIFACT} } }`, { id: up.data!.uploadArtifact.id }));
    expectIsoDates(await h.q(admin, 'mutation($x: String!) { createTemplateVersion(tenant: "alpha", project: "vision", name: "base", template: $x, reason: "v2") { createdAt } }', { x: TEMPLATE }));
    expectIsoDates(await h.q(admin, 'mutation($c: String!) { registerDataset(tenant: "alpha", name: "tiny.csv", version: "2", contentBase64: $c) { registeredAt artifact { createdAt deletedAt } } }',
      { c: b64('c,d\n') }), ['registerDataset.artifact.deletedAt']);
    expectIsoDates(await h.q(admin, 'mutation { resolveDataset(tenant: "alpha", name: "tiny.csv", version: "1") { dataset { registeredAt artifact { createdAt deletedAt } } } }'),
      ['resolveDataset.dataset.artifact.deletedAt']);
    const sub = await h.q(admin, 'mutation($s: String!) { submitExperiment(tenant: "alpha", spec: $s) { id createdAt finishedAt trials { createdAt startedAt finishedAt } } }', { s: SPEC });
    expectIsoDates(sub, ['submitExperiment.finishedAt', 'submitExperiment.trials.startedAt', 'submitExperiment.trials.finishedAt']);
    expectIsoDates(await h.q(admin, `mutation($id: ID!) { rerunExperiment(id: $id) { ${EXP} parent { ${EXP} } } }`, { id: expId }), ['rerunExperiment.finishedAt']);
    expectIsoDates(await h.q(admin, `mutation($id: ID!) { cancelExperiment(id: $id) { ${EXP} } }`, { id: sub.data!.submitExperiment.id }), ['cancelExperiment.finishedAt']);
  });

  it('the trialProgress subscription: event time, trial, metric and experiment', async () => {
    const received = events as { data?: { trialProgress: unknown }; errors?: unknown }[];
    expect(received.filter((m) => m.errors !== undefined)).toEqual([]);
    expectIsoDates({ data: received.map((m) => m.data) });
    const kinds = received.map((m) => (m.data!.trialProgress as { kind: string }).kind);
    expect(kinds).toEqual(expect.arrayContaining(['TRIAL_STATE', 'METRIC', 'EXPERIMENT_FINISHED']));
  });
});

