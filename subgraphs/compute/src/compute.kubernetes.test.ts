import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOPICS } from '@fairsweep/service-kit';
import { eventually } from '@fairsweep/service-kit/testing';
import { FakeCluster } from '@fairsweep/executor-kubernetes/testing';
import { kubeConfigOf } from './modules/executor/executor.factory.js';
import { executorSettingsFromEnv, type KubernetesExecutorSettings } from './modules/executor/executor.settings.js';
import { ComputeHarness, SHORT_TRIAL } from './testing-internal/compute-harness.js';

// A pool on the Kubernetes executor, configured from the environment as `npm start` would, against
// the executor's fake API server (real HTTP, real @kubernetes/client-node, a kubelet running local
// processes) — no real cluster. Real PostgreSQL.
describe('compute with FAIRSWEEP_EXECUTOR=kubernetes', () => {
  let h: ComputeHarness;
  let cluster: FakeCluster;
  beforeAll(async () => {
    cluster = await new FakeCluster({ namespaces: ['fs-acme'] }).start();
    h = await ComputeHarness.create();
    const executorSettings = executorSettingsFromEnv({
      FAIRSWEEP_EXECUTOR: 'kubernetes', FAIRSWEEP_K8S_IMAGE: 'busybox:1.36', FAIRSWEEP_K8S_API_SERVER: cluster.url,
      FAIRSWEEP_K8S_NAMESPACE: 'fs-{tenant}', FAIRSWEEP_K8S_KUEUE_QUEUE: '{tenant}-{priority}',
      FAIRSWEEP_K8S_PRIORITY_CLASS_TEMPLATE: 'fairsweep-{priority}', FAIRSWEEP_K8S_POLL_MS: '200', FAIRSWEEP_K8S_RESYNC_MS: '2000',
    });
    await h.start({ pool: { name: 'k8s', cpus: 8, gpus: 0, memoryMb: 8192 }, executorSettings });
  });
  afterAll(async () => {
    await h?.close();
    await cluster?.stop();
    expect(h.problems).toEqual([]);
  });

  it('registers the pool with the kubernetes executor and runs a trial as a Kueue-admitted Job in the tenant namespace', async () => {
    const [pool] = await h.sql<{ executor_name: string }>(`SELECT executor_name FROM compute.pool WHERE name = 'k8s'`);
    expect(pool?.executor_name).toBe('kubernetes');

    await h.setQuota('acme', 1, { cpus: 4, concurrentTrials: 1 });
    const experimentId = randomUUID();
    const [trialId] = await h.createTrials('acme', experimentId, 1, SHORT_TRIAL);
    // Created suspended for Kueue; the test plays Kueue and admits it.
    const job = await eventually(async () => [...cluster.jobs.values()].find((j) => j.metadata.labels['fairsweep.io/trial'] === trialId), 20_000);
    expect(job.metadata.namespace).toBe('fs-acme');
    expect(job.spec.suspend).toBe(true);
    expect(job.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'fairsweep', 'fairsweep.io/tenant': 'acme', 'fairsweep.io/experiment': experimentId,
      'fairsweep.io/trial': trialId, 'fairsweep.io/attempt': expect.any(String), 'kueue.x-k8s.io/queue-name': 'acme-standard',
    });
    expect(job.spec.template.spec.priorityClassName).toBe('fairsweep-standard');
    expect(job.spec.template.spec.containers[0].image).toBe('busybox:1.36');
    cluster.admit('fs-acme', job.metadata.name);

    const [finished] = await eventually(async () => {
      const f = await h.events(TOPICS.trialFinished, 'acme');
      return f.length > 0 && f;
    }, 30_000);
    expect(finished!.payload).toMatchObject({ trialId, outcome: 'succeeded', exitCode: 0 });
    const [started] = await h.events(TOPICS.trialStarted, 'acme');
    expect(started!.payload).toMatchObject({ trialId, pool: 'k8s', host: cluster.nodeName });
    const metrics = await h.events(TOPICS.trialMetricReported, 'acme');
    expect(metrics.map((m) => [m.payload.name, m.payload.value])).toEqual([['loss', 0.5]]);
    const [allocation] = await h.sql(`SELECT state, outcome FROM compute.allocation WHERE tenant = 'acme'`);
    expect(allocation).toEqual({ state: 'released', outcome: 'succeeded' });
  });
});

describe('the KubeConfig from FAIRSWEEP_K8S_KUBECONFIG, _CONTEXT and _API_SERVER', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fs-kubeconfig-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'config');
  writeFileSync(file, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'a',
    clusters: [{ name: 'ca', cluster: { server: 'https://10.0.0.1:6443' } }, { name: 'cb', cluster: { server: 'https://10.0.0.2:6443' } }],
    users: [{ name: 'ua', user: { token: 'token-a' } }, { name: 'ub', user: { token: 'token-b' } }],
    contexts: [{ name: 'a', context: { cluster: 'ca', user: 'ua' } }, { name: 'b', context: { cluster: 'cb', user: 'ub' } }],
  }));
  const settings = (s: Partial<KubernetesExecutorSettings>): KubernetesExecutorSettings => ({ kind: 'kubernetes', image: 'x', priorityClasses: {}, ...s });

  it('uses the file and context, replaces only the server of the chosen cluster, and keeps its credentials', async () => {
    const kc = await kubeConfigOf(settings({ kubeconfig: file, context: 'b', apiServer: 'https://k8s.example:443' }));
    expect([kc.getCurrentContext(), kc.getCurrentCluster()?.server, kc.getCurrentUser()?.token]).toEqual(['b', 'https://k8s.example:443', 'token-b']);
    expect(kc.getCluster('ca')?.server).toBe('https://10.0.0.1:6443');
  });

  it('alone, an API server URL is used without credentials (kubectl proxy)', async () => {
    const kc = await kubeConfigOf(settings({ apiServer: 'http://127.0.0.1:8001' }));
    expect([kc.getCurrentCluster()?.server, kc.getCurrentUser()?.token]).toEqual(['http://127.0.0.1:8001', undefined]);
  });

  it('names the variable when the file or the context is wrong', async () => {
    await expect(kubeConfigOf(settings({ kubeconfig: join(dir, 'missing') }))).rejects.toThrow(`FAIRSWEEP_K8S_KUBECONFIG: cannot load the kubeconfig "${join(dir, 'missing')}": ENOENT`);
    await expect(kubeConfigOf(settings({ kubeconfig: file, context: 'c' }))).rejects.toThrow(`FAIRSWEEP_K8S_CONTEXT: "c" is not a context of ${file} (it has: a, b)`);
  });
});
