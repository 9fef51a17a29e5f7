import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalExecutor } from '@fairsweep/executor-local';
import type { ExecutorEvent } from '@fairsweep/sdk';
import { outboxTablesSql, publishEvent, TOPICS } from '@fairsweep/service-kit';
import { claimsFor, eventually } from '@fairsweep/service-kit/testing';
import { startHarness, type Harness } from '../../testing-internal/experiments-harness.js';

const SPEC = `
apiVersion: fairsweep/v1
kind: Experiment
name: artifacts
seed: 5
searchSpace: { x: { type: float, low: 0, high: 1 } }
objective: { metric: loss, direction: minimize }
budget: { maxTrials: 2, maxParallel: 2 }
trial: { command: [node, train.js], resources: { cpus: 1, gpus: 0, memoryMb: 128 } }
`;
const FIELDS = 'id tenant name kind sha256 digest sizeBytes chargedBytes experimentId trialId attemptId source createdBy reason deletedAt';
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

describe('tenant-scoped artifact store (PostgreSQL + filesystem backend)', () => {
  let h: Harness;
  let root: string;
  const alice = claimsFor.member('alpha');
  const bob = claimsFor.member('beta');
  let quotaVersion = 0;
  const setQuota = async (tenant: string, storageBytes: number | null) => {
    const version = ++quotaVersion;
    await h.svc.orm.em.fork().transactional((em) => publishEvent(em, 'tenancy', {
      topic: TOPICS.tenantQuotaChanged, aggregateId: tenant, tenant,
      payload: { tenant, version, cpus: 4, gpus: 0, memoryMb: 1024, concurrentTrials: 4, storageBytes, changedBy: 'root', reason: 'test' },
    }));
    await eventually(async () => (await storage(tenant)).quotaVersion === version);
  };
  const storage = async (tenant: string) => (await h.q(claimsFor.platformAdmin(), `query($r: [_Any!]!) { _entities(representations: $r) { ... on Tenant {
    storage { usedBytes allowedBytes quotaVersion artifactCount datasetCacheHits datasetCacheMisses } } } }`, { r: [{ __typename: 'Tenant', slug: tenant }] })).data!._entities[0].storage;
  const upload = (claims: unknown, tenant: string, content: string | Buffer, extra: Record<string, unknown> = {}) =>
    h.q(claims, `mutation($t: String!, $c: String!, $n: String!, $e: ID, $tr: ID, $s: String) {
      uploadArtifact(tenant: $t, name: $n, kind: CHECKPOINT, contentBase64: $c, experimentId: $e, trialId: $tr, sha256: $s, reason: "epoch 3") { ${FIELDS} } }`,
    { t: tenant, c: b64(content), n: 'ckpt.pt', ...extra });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'fs-artifact-store-'));
    h = await startHarness({ artifactRoot: join(root, 'store') });
    await h.sql('CREATE SCHEMA tenancy');
    for (const sql of outboxTablesSql('tenancy')) await h.sql(sql);
  });
  afterAll(async () => {
    await h?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('refuses a tenant over its storage quota with used, requested and allowed bytes; dedup costs nothing; tombstones free quota', async () => {
    await setQuota('alpha', 1000);
    const first = (await upload(alice, 'alpha', 'a'.repeat(600))).data!.uploadArtifact;
    expect(first).toMatchObject({ tenant: 'alpha', kind: 'CHECKPOINT', sha256: sha('a'.repeat(600)), digest: `sha256:${sha('a'.repeat(600))}`, sizeBytes: 600, chargedBytes: 600, createdBy: 'member@alpha', reason: 'epoch 3' });
    const refused = await upload(alice, 'alpha', 'b'.repeat(500));
    expect(refused.errors![0]).toMatchObject({
      message: 'tenant "alpha" storage quota exceeded: 600 bytes used + 500 requested > 1000 allowed (quota version 1)',
      extensions: { code: 'STORAGE_QUOTA_EXCEEDED', tenant: 'alpha', usedBytes: 600, requestedBytes: 500, allowedBytes: 1000, quotaVersion: 1 },
    });
    const dup = (await upload(alice, 'alpha', 'a'.repeat(600))).data!.uploadArtifact;
    expect(dup).toMatchObject({ sizeBytes: 600, chargedBytes: 0 });
    expect(await storage('alpha')).toEqual({ usedBytes: 600, allowedBytes: 1000, quotaVersion: 1, artifactCount: 2, datasetCacheHits: 0, datasetCacheMisses: 0 });
    expect(await readdir(join(root, 'store', 'staging'))).toEqual([]); // the refused bytes are gone

    const del = (id: string) => h.q(alice, 'mutation($id: ID!) { deleteArtifact(id: $id, reason: "superseded") { id deletedAt deletedBy deleteReason } }', { id });
    expect((await del(first.id)).data!.deleteArtifact).toMatchObject({ id: first.id, deletedBy: 'member@alpha', deleteReason: 'superseded', deletedAt: expect.any(String) });
    expect((await storage('alpha')).usedBytes).toBe(600); // the duplicate still holds the content
    expect((await del(first.id)).errors![0]!.extensions!.code).toBe('CONFLICT');
    await del(dup.id);
    expect(await storage('alpha')).toMatchObject({ usedBytes: 0, artifactCount: 0 });
    await expect(stat(join(root, 'store', 'blobs', 'alpha', 'sha256', first.sha256.slice(0, 2), first.sha256))).rejects.toThrow(/ENOENT/);
    expect((await upload(alice, 'alpha', 'b'.repeat(500))).data!.uploadArtifact.chargedBytes).toBe(500);
    // records are append-only in PostgreSQL itself
    await expect(h.sql('UPDATE experiments.artifact SET size_bytes = 1 WHERE id = $1', [first.id])).rejects.toThrow(/append-only/);
    await expect(h.sql('DELETE FROM experiments.artifact_tombstone WHERE artifact_id = $1', [first.id])).rejects.toThrow(/append-only/);
    // a lowered quota is a hard limit from then on, and the content digest is verified when given
    await setQuota('alpha', 100);
    expect((await upload(alice, 'alpha', 'c')).errors![0]!.extensions).toMatchObject({ code: 'STORAGE_QUOTA_EXCEEDED', usedBytes: 500, requestedBytes: 1, allowedBytes: 100 });
    await setQuota('alpha', null);
    expect((await upload(alice, 'alpha', 'c', { s: sha('d') })).errors![0]!.message).toBe(`sha256: content digest mismatch: expected sha256 ${sha('d')}, got ${sha('c')}`);
    expect((await upload(alice, 'alpha', 'c', { s: sha('c') })).data!.uploadArtifact.sizeBytes).toBe(1);
  });

  it('never exceeds the quota with 20 uploads of one tenant racing at the limit', async () => {
    await setQuota('gamma', 10_000);
    const carol = claimsFor.member('gamma');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => upload(carol, 'gamma', String(i).padStart(1000, '#'))));
    const ok = results.filter((r) => r.data?.uploadArtifact);
    const refused = results.filter((r) => r.errors?.[0]?.extensions?.code === 'STORAGE_QUOTA_EXCEEDED');
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(10);
    for (const r of refused) expect(r.errors![0]!.extensions).toMatchObject({ usedBytes: expect.any(Number), requestedBytes: 1000, allowedBytes: 10_000 });
    expect(await storage('gamma')).toMatchObject({ usedBytes: 10_000, allowedBytes: 10_000, artifactCount: 10 });
    const [sum] = await h.sql(`SELECT sum(size_bytes)::int AS s FROM experiments.artifact WHERE tenant = 'gamma'`);
    expect(sum!.s).toBe(10_000);
  });

  it('hides one tenant artifacts from another: by id, in lists, through _entities, content and mutations', async () => {
    const exp = (await h.q(alice, 'mutation($s: String!) { submitExperiment(tenant: "alpha", spec: $s) { id trials { id } } }', { s: SPEC })).data!.submitExperiment;
    const trialId = exp.trials[0].id;
    const a = (await upload(alice, 'alpha', 'secret weights', { tr: trialId })).data!.uploadArtifact;
    expect(a).toMatchObject({ experimentId: exp.id, trialId });
    const byId = 'query($id: ID!) { artifact(id: $id) { id contentBase64 } }';
    expect((await h.q(alice, byId, { id: a.id })).data!.artifact).toEqual({ id: a.id, contentBase64: b64('secret weights') });
    expect((await h.q(bob, byId, { id: a.id })).data!.artifact).toBeNull();
    expect((await h.q(bob, 'query { artifacts(tenant: "alpha") { id } }')).errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect((await h.q(bob, 'query { artifacts(tenant: "beta") { id } }')).data!.artifacts).toEqual([]);
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Artifact { id name contentBase64 } ... on Tenant { storage { usedBytes } } } }`;
    const reps = { r: [{ __typename: 'Artifact', id: a.id }, { __typename: 'Tenant', slug: 'alpha' }] };
    expect((await h.q(bob, entities, reps)).data!._entities).toEqual([null, null]);
    expect((await h.q(alice, entities, reps)).data!._entities[0]).toEqual({ id: a.id, name: 'ckpt.pt', contentBase64: b64('secret weights') });
    expect((await h.q(bob, 'mutation($id: ID!) { deleteArtifact(id: $id, reason: "x") { id } }', { id: a.id })).errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect((await upload(bob, 'alpha', 'intruder')).errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect((await upload(bob, 'beta', 'link', { tr: trialId })).errors![0]!.message).toBe(`trial "${trialId}" not found`);
    expect((await upload(claimsFor.member('alpha', 'viewer'), 'alpha', 'x')).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    // lineage: the trial, its experiment and its provenance list the artifact
    const lineage = await h.q(alice, `query($e: ID!, $t: ID!) { experiment(id: $e) { artifacts { id } trials { id artifacts { id } } }
      provenance(trialId: $t) { artifacts { id kind createdBy } } }`, { e: exp.id, t: trialId });
    expect(lineage.data!.experiment.artifacts).toEqual([{ id: a.id }]);
    expect(lineage.data!.experiment.trials.find((t: { id: string }) => t.id === trialId).artifacts).toEqual([{ id: a.id }]);
    expect(lineage.data!.provenance.artifacts).toEqual([{ id: a.id, kind: 'CHECKPOINT', createdBy: 'member@alpha' }]);
  });

  it('ingests a finished attempt logs written by the real local executor as log artifacts, and records why when unreachable', async () => {
    const exp = (await h.q(alice, 'mutation($s: String!) { submitExperiment(tenant: "alpha", spec: $s) { id trials { id index params seed } } }', { s: SPEC })).data!.submitExperiment;
    const [t0, t1] = exp.trials;
    const executor = createLocalExecutor({ workRoot: join(root, 'work') });
    const events: ExecutorEvent[] = [];
    executor.onEvent((e) => events.push(e));
    try {
      await executor.submit({
        attemptId: 'att-log-1', trialId: t0.id, experimentId: exp.id, tenant: 'alpha', trialIndex: 0, attempt: 1,
        command: [process.execPath, '-e', 'console.log("epoch 1 loss=0.5"); console.error("warning: slow")'],
        env: {}, params: t0.params, seed: t0.seed, resources: { cpus: 1, gpus: 0, memoryMb: 128 }, maxRuntimeSeconds: 60,
      });
      const exited = await eventually(() => events.find((e) => e.type === 'exited'));
      const started = events.find((e) => e.type === 'started') as Extract<ExecutorEvent, { type: 'started' }>;
      expect(exited).toMatchObject({ outcome: 'succeeded' });
      const base = { trialId: t0.id, experimentId: exp.id, tenant: 'alpha', attemptId: 'att-log-1' };
      await h.computeEvent(TOPICS.trialStarted, { ...base, attempt: 1, pool: 'local', host: started.host, devices: [], workDir: started.workDir, at: new Date().toISOString() });
      await h.computeEvent(TOPICS.trialFinished, { ...base, outcome: 'succeeded', exitCode: 0, signal: null, reason: 'exit 0', at: new Date().toISOString() });
    } finally {
      await executor.close();
    }
    // t1 ran on another host: compute reports a work directory this service cannot reach
    const other = { trialId: t1.id, experimentId: exp.id, tenant: 'alpha', attemptId: 'att-remote-1' };
    await h.computeEvent(TOPICS.trialStarted, { ...other, attempt: 1, pool: 'slurm', host: 'node-7', devices: [], workDir: '/nonexistent/fairsweep/work/att', at: new Date().toISOString() });
    await h.computeEvent(TOPICS.trialFinished, { ...other, outcome: 'failed', exitCode: 1, signal: null, reason: 'exit 1', at: new Date().toISOString() });

    const query = `query($t: ID!) { provenance(trialId: $t) { attemptOutputs { attemptId file status artifactId detail }
      artifacts { name kind attemptId source createdBy reason sizeBytes contentBase64 } } }`;
    const p0 = await eventually(async () => {
      const r = (await h.q(alice, query, { t: t0.id })).data!.provenance;
      return r.attemptOutputs.length === 2 ? r : null;
    });
    expect(p0.attemptOutputs.map((o: { file: string; status: string }) => [o.file, o.status])).toEqual([['stderr.log', 'ingested'], ['stdout.log', 'ingested']]);
    const logs = Object.fromEntries(p0.artifacts.map((a: { name: string; contentBase64: string }) => [a.name, Buffer.from(a.contentBase64, 'base64').toString()]));
    expect(logs).toEqual({ 'stdout.log': 'epoch 1 loss=0.5\n', 'stderr.log': 'warning: slow\n' });
    expect(p0.artifacts[0]).toMatchObject({ kind: 'LOG', attemptId: 'att-log-1', source: 'attempt-output', createdBy: 'system:experiments', reason: 'output of attempt att-log-1 (succeeded: exit 0)' });
    expect(await readFile(join(root, 'work', 'alpha', exp.id, t0.id, 'attempt-1', 'stdout.log'), 'utf8')).toBe(logs['stdout.log']);
    const p1 = await eventually(async () => {
      const r = (await h.q(alice, query, { t: t1.id })).data!.provenance;
      return r.attemptOutputs.length === 2 ? r : null;
    });
    expect(p1.artifacts).toEqual([]);
    for (const o of p1.attemptOutputs) {
      expect(o).toMatchObject({ attemptId: 'att-remote-1', status: 'unreachable', artifactId: null });
      expect(o.detail).toMatch(new RegExp(`^/nonexistent/fairsweep/work/att/${o.file} is not readable from the experiments service on .+ \\(ENOENT; the attempt ran on node-7\\)$`));
    }
    expect((await h.q(bob, query, { t: t0.id })).data!.provenance).toBeNull();
  });

  it('keeps a dataset once per tenant, materialises it into the tenant cache, and counts hits and misses', async () => {
    await setQuota('delta', 5000);
    const dave = claimsFor.member('delta');
    const data = 'x,y\n'.repeat(500); // 2000 bytes
    const register = (claims: unknown, tenant: string, content: string, version = '1.0') =>
      h.q(claims, `mutation($t: String!, $c: String!, $v: String!) { registerDataset(tenant: $t, name: "mnist-mini.csv", version: $v, contentBase64: $c) {
        name version sha256 sizeBytes deleted artifact { kind chargedBytes } } }`, { t: tenant, c: b64(content), v: version });
    expect((await register(dave, 'delta', data)).data!.registerDataset).toEqual({
      name: 'mnist-mini.csv', version: '1.0', sha256: sha(data), sizeBytes: 2000, deleted: false, artifact: { kind: 'DATASET', chargedBytes: 2000 },
    });
    expect((await register(dave, 'delta', data)).data!.registerDataset.sha256).toBe(sha(data)); // same again: no-op
    expect((await register(dave, 'delta', 'other')).errors![0]).toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect((await register(dave, 'delta', data, '1.1')).data!.registerDataset.artifact.chargedBytes).toBe(0); // same bytes, new version: free
    expect((await register(dave, 'delta', 'z'.repeat(4000), '2.0')).errors![0]!.extensions).toMatchObject({ code: 'STORAGE_QUOTA_EXCEEDED', usedBytes: 2000, requestedBytes: 4000, allowedBytes: 5000 });

    const resolve = (claims: unknown, tenant: string, by: string) =>
      h.q(claims, `mutation($t: String!) { resolveDataset(tenant: $t, name: "mnist-mini.csv", ${by}) { path cacheDir hit dataset { version } } }`, { t: tenant });
    const miss = (await resolve(dave, 'delta', 'version: "1.0"')).data!.resolveDataset;
    expect(miss).toMatchObject({ hit: false, cacheDir: join(root, 'store', 'dataset-cache', 'delta'), path: join(root, 'store', 'dataset-cache', 'delta', sha(data), 'mnist-mini.csv') });
    expect(await readFile(miss.path, 'utf8')).toBe(data);
    expect((await resolve(dave, 'delta', 'version: "1.0"')).data!.resolveDataset.hit).toBe(true);
    expect((await resolve(claimsFor.member('delta', 'viewer'), 'delta', `sha256: "${sha(data)}"`)).data!.resolveDataset).toMatchObject({ hit: true, path: miss.path });
    expect((await resolve(bob, 'delta', 'version: "1.0"')).errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect((await resolve(dave, 'delta', 'version: "9.9"')).errors![0]!.message).toBe('dataset "mnist-mini.csv@9.9" not found');
    expect(await storage('delta')).toMatchObject({ usedBytes: 2000, artifactCount: 2, datasetCacheHits: 2, datasetCacheMisses: 1 });
    // a damaged cache copy is found with verify and replaced (a miss)
    await rm(miss.path);
    expect((await resolve(dave, 'delta', 'version: "1.0", verify: true')).data!.resolveDataset.hit).toBe(false);
    expect(await storage('delta')).toMatchObject({ datasetCacheHits: 2, datasetCacheMisses: 2 });
    expect((await h.q(bob, 'query { datasets(tenant: "delta") { name } }')).errors![0]!.extensions!.code).toBe('NOT_FOUND');
  });
});
