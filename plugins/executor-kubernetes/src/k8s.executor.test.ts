import { writeFileSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lifecycleProblems, type ExecutorEvent } from '@fairsweep/sdk';
import { createKubernetesExecutor } from './k8s.executor.js';
import { kubeConfigFor } from './k8s.client.js';
import { jobName } from './k8s.manifest.js';
import { FakeCluster } from './testing/fake-apiserver.js';
import { harness, shLaunch, sleep, TIMEOUT_MS } from './testing-internal/harness.js';

const NS = 'fairsweep-acme';
const cluster = new FakeCluster({ namespaces: [NS], gpus: 2 });
const scratch = mkdtempSync(join(tmpdir(), 'fs-k8s-test-'));
const executors: Array<{ close(): Promise<void> }> = [];
beforeAll(() => cluster.start());
afterAll(() => cluster.stop());
afterEach(async () => {
  await Promise.all(executors.splice(0).map((e) => e.close()));
});
function setup(...args: Parameters<typeof harness> extends [unknown, ...infer R] ? R : never) {
  const h = harness(cluster, ...args);
  executors.push(h.executor);
  return h;
}
const metrics = (events: ExecutorEvent[]) => events.flatMap((e) => (e.type === 'metric' ? [`${e.name}=${e.value}@${e.step}#${e.seq}`] : []));
/** A trial that waits for a file before going on. */
const gate = (name: string) => `while [ ! -f "${join(scratch, name)}" ]; do sleep 0.05; done`;
const open = (name: string) => writeFileSync(join(scratch, name), '');

describe('kubernetes executor against the fake API server', () => {
  it('re-attach: a second instance follows a Job that finished while no executor watched it, run once', async () => {
    const first = setup();
    const id = `g${Date.now()}`;
    const launch = shLaunch(`echo run >> ${join(scratch, `${id}.runs`)}; echo "FAIRSWEEP_METRIC ready=1"; ${gate(id)}; echo "FAIRSWEEP_METRIC loss=0.5 step=9"; exit 7`);
    await first.executor.submit(launch);
    await first.log.metric(launch.attemptId, 'ready', TIMEOUT_MS);
    await first.executor.detach();
    open(id);
    await sleep(500); // the Job ends with nobody watching

    const second = setup();
    await second.executor.submit(launch);
    const exited = await second.exited(launch);
    expect(exited).toMatchObject({ outcome: 'failed', exitCode: 7, reason: 'exited with code 7' });
    const events = second.log.of(launch.attemptId);
    expect(events.find((e) => e.type === 'started')).toMatchObject({ reattached: true, host: cluster.nodeName });
    expect(metrics(events)).toEqual(['ready=1@null#1', 'loss=0.5@9#2']); // replayed from the start, same seq
    expect(lifecycleProblems(events)).toEqual([]);
    expect(readFileSync(join(scratch, `${id}.runs`), 'utf8')).toBe('run\n');
    expect(first.log.of(launch.attemptId).some((e) => e.type === 'exited')).toBe(false);
    expect(cluster.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/jobs')).length).toBeGreaterThan(0);
  });

  it('watch drop + 410 Gone: the trial ends while the watch is down; the resync list finds it, nothing lost or doubled', async () => {
    const warnings: string[] = [];
    const log = { warn: (message: string) => warnings.push(message), error: (message: string) => warnings.push(`error: ${message}`) };
    const h = setup({ resyncIntervalMs: 60000, log, onWarning: undefined }); // only the relist after 410 can find the end
    const id = `w${Date.now()}`;
    const launch = shLaunch(`echo "FAIRSWEEP_METRIC ready=1"; ${gate(id)}; echo "FAIRSWEEP_METRIC loss=0.25 step=1"; echo "FAIRSWEEP_METRIC loss=0.125 step=2"; exit 0`);
    await h.executor.submit(launch);
    await h.log.metric(launch.attemptId, 'ready', TIMEOUT_MS);
    const before = h.executor.watchStats()[NS];
    cluster.fault('GET', /\/jobs$/, 503, 'ServiceUnavailable', 'apiserver is restarting', 3); // reconnects fail for a while
    cluster.dropWatches();
    open(id);
    await sleep(300);
    cluster.compact(); // the events of the end are gone from the server's history
    const exited = await h.exited(launch);
    expect(exited).toMatchObject({ outcome: 'succeeded', exitCode: 0 });
    const events = h.log.of(launch.attemptId);
    expect(metrics(events)).toEqual(['ready=1@null#1', 'loss=0.25@1#2', 'loss=0.125@2#3']);
    expect(lifecycleProblems(events)).toEqual([]);
    const after = h.executor.watchStats()[NS];
    expect(after.gone).toBeGreaterThan(before.gone);
    expect(after.errors).toBeGreaterThan(before.errors);
    // the failed watch went to the executor's log, not the console
    expect(warnings).toContainEqual(expect.stringMatching(new RegExp(`^watch of Jobs in namespace ${NS} failed \\(retrying\\): .*Service Unavailable`)));
  });

  it('Kueue: created suspended with the queue label; pending reason until admitted; then runs', async () => {
    const h = setup({ kueue: { queueName: '{tenant}-{priority}' } });
    const launch = shLaunch('echo "FAIRSWEEP_METRIC loss=1"; exit 0');
    await h.executor.submit(launch);
    const job = cluster.job(NS, jobName(launch.attemptId));
    expect(job.metadata.labels['kueue.x-k8s.io/queue-name']).toBe('acme-standard');
    await h.log.until(() => h.executor.pendingReasonOf(launch.attemptId) !== null, 'a pending reason', TIMEOUT_MS);
    expect(h.executor.pendingReasonOf(launch.attemptId)).toBe('suspended until Kueue admits it to queue acme-standard (quota or priority) (Kubernetes: Suspended)');
    expect(cluster.podsOf(NS, job.metadata.name)).toEqual([]);
    cluster.admit(NS, job.metadata.name);
    expect(await h.exited(launch)).toMatchObject({ outcome: 'succeeded', exitCode: 0 });
    expect(h.log.of(launch.attemptId)).toContainEqual(expect.objectContaining({ type: 'log', stream: 'stderr', line: expect.stringContaining('pending in Kubernetes') }));
  });

  it('Kueue eviction of a running Job ends the attempt failed and retryable (not resumed in place)', async () => {
    const h = setup({ kueue: { queueName: 'q' } });
    const launch = shLaunch('echo "FAIRSWEEP_METRIC ready=1"; while true; do sleep 0.1; done');
    await h.executor.submit(launch);
    const name = jobName(launch.attemptId);
    await sleep(100);
    cluster.admit(NS, name);
    await h.log.metric(launch.attemptId, 'ready', TIMEOUT_MS);
    cluster.evict(NS, name);
    const exited = await h.exited(launch);
    expect(exited).toMatchObject({ outcome: 'failed', retryable: true, reason: expect.stringContaining('Kueue evicted') });
    await h.log.until(() => cluster.job(NS, name) === undefined, 'the Job to be deleted', TIMEOUT_MS);
  });

  it('GPUs: the device ids are reported; a pod that cannot fit is pending as unschedulable and can be cancelled', async () => {
    const h = setup();
    const one = shLaunch('echo "FAIRSWEEP_METRIC ready=1"; exit 0', { resources: { cpus: 1, gpus: 1, memoryMb: 64 } });
    await h.executor.submit(one);
    await h.exited(one);
    expect(h.log.of(one.attemptId).find((e) => e.type === 'started')).toMatchObject({ devices: ['GPU-fake-0'] });
    const big = shLaunch('exit 0', { resources: { cpus: 1, gpus: 3, memoryMb: 64 } });
    await h.executor.submit(big);
    await h.log.until(() => h.executor.pendingReasonOf(big.attemptId) !== null, 'a pending reason', TIMEOUT_MS);
    expect(h.executor.pendingReasonOf(big.attemptId)).toMatch(/^no node can take the pod: 0\/1 nodes are available: 1 Insufficient nvidia.com\/gpu.*\(Kubernetes: Unschedulable\)$/);
    await h.executor.cancel(big.attemptId, { reason: 'too big' });
    expect(await h.exited(big)).toMatchObject({ outcome: 'cancelled', reason: 'too big' });
    expect(h.log.of(big.attemptId).some((e) => e.type === 'started')).toBe(false);
  });

  it('cancel deletes the Job (Foreground) and its pods with the grace period', async () => {
    const h = setup({ propagationPolicy: 'Foreground' });
    const term = join(scratch, `term-${Date.now()}`);
    const launch = shLaunch(`trap "touch ${term}; exit 0" TERM; echo "FAIRSWEEP_METRIC ready=1"; while true; do sleep 0.1; done`);
    await h.executor.submit(launch);
    await h.log.metric(launch.attemptId, 'ready', TIMEOUT_MS);
    const t0 = Date.now();
    await h.executor.cancel(launch.attemptId, { graceMs: 7000, reason: 'pruned' });
    expect(await h.exited(launch)).toMatchObject({ outcome: 'cancelled', reason: 'pruned' });
    expect(Date.now() - t0).toBeLessThan(7000); // the trap ended it within its grace period
    expect(readFileSync(term, 'utf8')).toBe('');
    const name = jobName(launch.attemptId);
    const deletes = cluster.requests.filter((r) => r.method === 'DELETE' && r.path.includes(name));
    expect(deletes).toContainEqual(expect.objectContaining({ path: `/apis/batch/v1/namespaces/${NS}/jobs/${name}`, query: expect.objectContaining({ propagationPolicy: 'Foreground', gracePeriodSeconds: '7' }) }));
    expect(deletes).toContainEqual(expect.objectContaining({ path: expect.stringMatching(new RegExp(`/pods/${name}-`)), query: expect.objectContaining({ gracePeriodSeconds: '7' }) }));
    expect(cluster.job(NS, name)).toBeUndefined();
  });

  it('maxRuntimeSeconds becomes activeDeadlineSeconds: failed, DeadlineExceeded', async () => {
    const h = setup();
    const launch = shLaunch('while true; do sleep 0.1; done', { maxRuntimeSeconds: 1 });
    await h.executor.submit(launch);
    expect(await h.exited(launch)).toMatchObject({ outcome: 'failed', reason: 'exceeded its maximum run time of 1 s (Kubernetes: DeadlineExceeded)' });
  });

  describe('API errors: classified, with the Kubernetes message', () => {
    it('403 Forbidden: failed, not retryable', async () => {
      const h = setup();
      cluster.fault('POST', /\/jobs$/, 403, 'Forbidden', 'jobs.batch is forbidden: User "system:serviceaccount:fairsweep:compute" cannot create resource "jobs" in API group "batch" in the namespace "fairsweep-acme"');
      const launch = shLaunch('exit 0');
      await h.executor.submit(launch);
      const exited = await h.exited(launch);
      expect(exited.reason).toMatch(/^Kubernetes refused to create the Job \(Job fairsweep-acme\/fs-.*\): 403 Forbidden: jobs\.batch is forbidden: User "system:serviceaccount:fairsweep:compute" cannot create/);
      expect(exited).toMatchObject({ outcome: 'failed' });
      expect(exited.retryable).toBeUndefined();
    });

    it('422 Invalid from the API server: failed, not retryable', async () => {
      const launch = shLaunch('exit 0');
      // an empty image is refused by createKubernetesExecutor itself; a function can still produce a bad manifest:
      expect(() => createKubernetesExecutor({ image: '' })).toThrow('image must be a non-empty string');
      const bad = setup({ image: () => 42 as never });
      await bad.executor.submit(launch);
      expect(await bad.exited(launch)).toMatchObject({ outcome: 'failed', reason: expect.stringContaining('422 Invalid: Job.batch') });
    });

    it('503 twice, then created: retried and run', async () => {
      const h = setup();
      cluster.fault('POST', /\/jobs$/, 503, 'ServiceUnavailable', 'etcd leader changed', 2);
      const launch = shLaunch('exit 0');
      await h.executor.submit(launch);
      expect(await h.exited(launch)).toMatchObject({ outcome: 'succeeded' });
    });

    it('429 that does not stop: failed and retryable', async () => {
      const h = setup({ apiAttempts: 2 });
      cluster.fault('POST', /\/jobs$/, 429, 'TooManyRequests', 'too many requests, please try again later', 2);
      const launch = shLaunch('exit 0');
      await h.executor.submit(launch);
      expect(await h.exited(launch)).toMatchObject({ outcome: 'failed', retryable: true, reason: expect.stringContaining('429 TooManyRequests: too many requests') });
    });

    it('connection refused: failed and retryable; missing namespace: 404, not retryable', async () => {
      const h = setup({ kubeConfig: kubeConfigFor('http://127.0.0.1:9'), apiAttempts: 2 });
      const launch = shLaunch('exit 0');
      await h.executor.submit(launch);
      expect(await h.exited(launch)).toMatchObject({ outcome: 'failed', retryable: true, reason: expect.stringContaining('ECONNREFUSED') });
      const other = setup();
      const globex = shLaunch('exit 0', { tenant: 'globex' });
      await other.executor.submit(globex);
      expect(await other.exited(globex)).toMatchObject({ outcome: 'failed', reason: expect.stringContaining('404 NotFound: namespaces "fairsweep-globex" not found') });
    });

    it('a Job of another attempt under the same name is not adopted', async () => {
      const h = setup();
      const launch = shLaunch('exit 0');
      cluster.createJobDirectly({
        apiVersion: 'batch/v1', kind: 'Job',
        metadata: { name: jobName(launch.attemptId), namespace: NS, labels: {}, annotations: { 'fairsweep.io/attempt-id': 'someone-else' } },
        spec: { suspend: true, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'trial', image: 'x', command: ['true'] }] } } },
      });
      await h.executor.submit(launch);
      expect(await h.exited(launch)).toMatchObject({ outcome: 'failed', reason: expect.stringContaining('already exists for another attempt ("someone-else")') });
    });
  });
});
