import { claimsFor } from '@fairsweep/service-kit/testing';
import { startHarness, type Harness } from './testing-internal/experiments-harness.js';

type Loose = any;

const SPEC = `
apiVersion: fairsweep/v1
name: lineage-graph
project: vision
seed: 5
searchSpace: { x: { type: float, low: 0, high: 1 } }
objective: { metric: loss, direction: minimize }
budget: { maxTrials: 1, maxParallel: 1 }
trial: { command: [node, train.js] }
`;
const COMMIT_A = 'a'.repeat(40);
const COMMIT_B = 'b'.repeat(40);
const env = (commit: string, dirty = false) => ({
  git: { commit, dirty, diffSha256: dirty ? 'd'.repeat(64) : null },
  lockfiles: { 'package-lock.json': 'c'.repeat(64) },
  runtimes: { node: 'v20.20.0' },
});
const GRAPH = 'root nodes { id kind label attributes } edges { from to relation }';

describe('lineage graph: traversal and export', () => {
  let h: Harness;
  const alice = claimsFor.member('alpha');
  const bob = claimsFor.member('beta');
  let a: string, b: string, c: string;

  beforeAll(async () => {
    h = await startHarness();
    const submitted = await h.q(alice, 'mutation($s: String!, $e: JSON) { submitExperiment(tenant: "alpha", spec: $s, environment: $e) { id } }', { s: SPEC, e: env(COMMIT_A) });
    a = submitted.data!.submitExperiment.id;
    const rerun = async (id: string, e: unknown) =>
      (await h.q(alice, 'mutation($id: ID!, $e: JSON) { rerunExperiment(id: $id, environment: $e) { id } }', { id, e })).data!.rerunExperiment.id as string;
    b = await rerun(a, env(COMMIT_B, true));
    c = await rerun(b, env(COMMIT_B, true));
  });
  afterAll(async () => {
    await h?.close();
  });

  const lineage = async (claims: unknown, id: string, args = '') => {
    const res = await h.q<Loose>(claims, `query($id: ID!) { experiment(id: $id) { lineage${args} { ${GRAPH} } } }`, { id });
    return res;
  };

  it('follows rerun links both ways from the middle, with each experiment\'s inputs and submitter', async () => {
    const res = await lineage(alice, b);
    expect(res.errors).toBeUndefined();
    const g = res.data.experiment.lineage;
    expect(g.root).toBe(`experiment:${b}`);
    expect(g.nodes.filter((n: Loose) => n.kind === 'experiment').map((n: Loose) => n.id)).toEqual([a, b, c].map((x) => `experiment:${x}`));
    const ids = g.nodes.map((n: Loose) => n.id);
    // The dirty tree is its own code version; the lockfile shared by all three appears once.
    expect(ids).toEqual(expect.arrayContaining([`code:${COMMIT_A}`, `code:${COMMIT_B}+${'d'.repeat(64)}`, `lockfile:${'c'.repeat(64)}`, 'runtime:node@v20.20.0', 'agent:member@alpha']));
    expect(ids.filter((x: string) => x.startsWith('lockfile:'))).toHaveLength(1);
    expect(g.edges).toEqual(expect.arrayContaining([
      { from: `experiment:${b}`, to: `experiment:${a}`, relation: 'wasDerivedFrom' },
      { from: `experiment:${c}`, to: `experiment:${b}`, relation: 'wasDerivedFrom' },
      { from: `experiment:${a}`, to: `code:${COMMIT_A}`, relation: 'used' },
      { from: `experiment:${c}`, to: 'agent:member@alpha', relation: 'wasAssociatedWith' },
    ]));
    const root = g.nodes.find((n: Loose) => n.id === `experiment:${b}`);
    expect(root.attributes).toMatchObject({ experimentId: b, tenant: 'alpha', project: 'vision', seed: 5, strategy: 'random@0.1.0', trials: { total: 1, succeeded: 0, bestValue: null } });
  });

  it('limits direction and depth', async () => {
    const experiments = (g: Loose) => g.nodes.filter((n: Loose) => n.kind === 'experiment').map((n: Loose) => n.attributes.experimentId);
    expect(experiments((await lineage(alice, c, '(direction: ANCESTORS, maxDepth: 1)')).data.experiment.lineage)).toEqual([b, c]);
    expect(experiments((await lineage(alice, c, '(direction: ANCESTORS)')).data.experiment.lineage)).toEqual([a, b, c]);
    expect(experiments((await lineage(alice, a, '(direction: DESCENDANTS)')).data.experiment.lineage)).toEqual([a, b, c]);
    expect(experiments((await lineage(alice, b, '(direction: DESCENDANTS, maxDepth: 0)')).data.experiment.lineage)).toEqual([b]);
    const bad = await lineage(alice, b, '(maxDepth: 101)');
    expect(bad.errors![0]!.extensions!.code).toBe('INVALID_INPUT');
    expect(bad.errors![0]!.message).toContain('maxDepth');
  });

  it('exports W3C PROV-JSON and OpenLineage run events', async () => {
    const prov = (await h.q<Loose>(alice, 'query($id: ID!) { lineageExport(experimentId: $id) }', { id: c })).data.lineageExport;
    expect(prov.prefix).toEqual({ fs: expect.stringMatching(/^https:/) });
    expect(Object.keys(prov.activity)).toHaveLength(3);
    const act = prov.activity[`fs:experiment:${c}`];
    expect(act).toMatchObject({ 'prov:label': 'lineage-graph', 'fs:kind': 'experiment', 'prov:startTime': expect.any(String) });
    expect(Object.values(prov.wasInformedBy)).toContainEqual({ 'prov:informed': `fs:experiment:${c}`, 'prov:informant': `fs:experiment:${b}` });
    expect(Object.values(prov.used)).toContainEqual({ 'prov:activity': `fs:experiment:${a}`, 'prov:entity': `fs:code:${COMMIT_A}` });
    expect(prov.agent['fs:agent:member@alpha']).toMatchObject({ 'prov:type': 'prov:Person' });

    const ol = (await h.q<Loose>(alice, 'query($id: ID!) { lineageExport(experimentId: $id, format: OPENLINEAGE) }', { id: c })).data.lineageExport;
    expect(ol.map((e: Loose) => e.run.runId)).toEqual([a, b, c]);
    expect(ol[2]).toMatchObject({
      eventType: 'RUNNING',
      job: { namespace: 'fairsweep:alpha', name: 'vision/lineage-graph' },
      run: { facets: { parent: { run: { runId: b } } } },
      inputs: expect.arrayContaining([{ namespace: 'fairsweep:code', name: `${COMMIT_B}+${'d'.repeat(64)}`, facets: {} }]),
    });
  });

  it('includes what an experiment stored as artifacts, in the graph and both exports', async () => {
    const up = await h.q<Loose>(alice, `mutation($e: ID!, $c: String!) { uploadArtifact(tenant: "alpha", name: "model.pt", kind: MODEL, contentBase64: $c, experimentId: $e, reason: "best model") { id sha256 } }`,
      { e: c, c: Buffer.from('weights').toString('base64') });
    expect(up.errors).toBeUndefined();
    const art = up.data.uploadArtifact;
    const g = (await lineage(alice, c, '(direction: ANCESTORS)')).data.experiment.lineage;
    expect(g.nodes).toContainEqual(expect.objectContaining({ id: `artifact:${art.id}`, kind: 'artifact', label: 'model.pt', attributes: expect.objectContaining({ kind: 'model', sha256: art.sha256, sizeBytes: 7, deleted: false }) }));
    expect(g.edges).toContainEqual({ from: `artifact:${art.id}`, to: `experiment:${c}`, relation: 'wasGeneratedBy' });
    const prov = (await h.q<Loose>(alice, 'query($id: ID!) { lineageExport(experimentId: $id) }', { id: c })).data.lineageExport;
    expect(Object.values(prov.wasGeneratedBy)).toEqual([{ 'prov:entity': `fs:artifact:${art.id}`, 'prov:activity': `fs:experiment:${c}` }]);
    const ol = (await h.q<Loose>(alice, 'query($id: ID!) { lineageExport(experimentId: $id, format: OPENLINEAGE) }', { id: c })).data.lineageExport;
    expect(ol[2].outputs).toEqual([{ namespace: 'fairsweep:alpha:artifacts', name: art.sha256, facets: { fairsweep: { name: 'model.pt', kind: 'model' } } }]);
    expect(ol[0].outputs).toEqual([]);
  });

  it('finds the experiments that used a commit, and shows another tenant nothing', async () => {
    const byCommit = await h.q<Loose>(alice, `{ experimentsByCommit(tenant: "alpha", commit: "${COMMIT_B}") { id } }`);
    expect(byCommit.data.experimentsByCommit.map((e: Loose) => e.id)).toEqual([c, b]);
    expect((await h.q<Loose>(alice, '{ experimentsByCommit(tenant: "alpha", commit: "HEAD") { id } }')).errors![0]!.message).toContain('full git commit');
    expect((await h.q<Loose>(bob, `{ experimentsByCommit(tenant: "alpha", commit: "${COMMIT_B}") { id } }`)).data.experimentsByCommit).toEqual([]);
    expect((await h.q<Loose>(bob, 'query($id: ID!) { lineageExport(experimentId: $id) }', { id: a })).data.lineageExport).toBeNull();
    expect((await lineage(bob, a)).data.experiment).toBeNull();
  });
});
