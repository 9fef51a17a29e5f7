import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Job as JobModel } from 'kubernetes-models/batch/v1/Job';
import type { KubeConfig } from '@kubernetes/client-node';
import { kubeConfigFor } from '../k8s.client.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = any;

interface PodRecord {
  pod: Obj;
  jobKey: string;
  process?: ChildProcess;
  log: Buffer[];
  followers: Set<ServerResponse>;
  killTimer?: NodeJS.Timeout;
  gpus: string[];
  /** Deleted while its Job was active and not being deleted or suspended: the Job counts a failure. */
  countsAsFailure: boolean;
}

interface Fault {
  method: string;
  path: RegExp;
  status: number;
  reason: string;
  message: string;
  times: number;
}

export interface FakeClusterOptions {
  namespaces: string[];
  /** GPUs of the one node (default 2). */
  gpus?: number;
  nodeName?: string;
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const now = () => new Date().toISOString();

/**
 * A fake Kubernetes API server for tests: a real HTTP server (node:http) serving the endpoints the
 * executor uses — Jobs (create, get, list, watch with resourceVersion and 410 Gone, delete with
 * propagation), pods (list, get, delete with a grace period) and pod logs (plain and follow) —
 * over an in-memory store, a simulated Job controller (backoffLimit 0, activeDeadlineSeconds,
 * suspend, foreground/background deletion) and a simulated kubelet on one node that runs each
 * container's command as a real local process group: env from the container spec, SIGTERM on
 * deletion, SIGKILL after the grace period. Volumes are emulated: each mount becomes a per-pod
 * directory (downwardAPI files are written into it) and paths under a mount in the container's
 * env, argv and workingDir are rewritten to that directory (there is no mount namespace).
 * Created Jobs are checked against the Kubernetes OpenAPI schema (kubernetes-models) and the
 * name/label rules, and refused with 422 like the real API server.
 */
export class FakeCluster {
  readonly jobs = new Map<string, Obj>();
  readonly pods = new Map<string, PodRecord>();
  readonly requests: Array<{ method: string; path: string; query: Record<string, string> }> = [];
  readonly namespaces: Set<string>;
  readonly nodeName: string;
  private readonly freeGpus: string[];
  private rv = 100;
  private history: Array<{ rv: number; namespace: string; type: string; json: string; labels: Record<string, string> }> = [];
  private compactedThrough = 0;
  private watchers = new Set<{ namespace: string; selector: string; res: ServerResponse }>();
  private faults: Fault[] = [];
  private deadlines = new Map<string, NodeJS.Timeout>();
  /** Controller bookkeeping kept out of the served objects: Jobs whose pod was created, and pod deletions counted as failures. */
  private podCreated = new Set<string>();
  private failedByDeletion = new Map<string, number>();
  private readonly root = mkdtempSync(join(tmpdir(), 'fs-fake-kubelet-'));
  private server!: Server;
  url = '';

  constructor(options: FakeClusterOptions) {
    this.namespaces = new Set(options.namespaces);
    this.nodeName = options.nodeName ?? 'fake-node-1';
    this.freeGpus = Array.from({ length: options.gpus ?? 2 }, (_, i) => `GPU-fake-${i}`);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res).catch((error) => {
      if (!res.headersSent) this.status(res, 500, 'InternalError', String(error));
    }));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  kubeConfig(): KubeConfig {
    return kubeConfigFor(this.url);
  }

  async stop(): Promise<void> {
    for (const rec of this.pods.values()) {
      clearTimeout(rec.killTimer);
      if (rec.process?.pid && rec.process.exitCode === null) {
        try {
          process.kill(-rec.process.pid, 'SIGKILL');
        } catch { /* gone */ }
      }
    }
    for (const timer of this.deadlines.values()) clearTimeout(timer);
    this.dropWatches();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  // ---- test controls ---------------------------------------------------------------------------

  /** The next `times` requests matching method and path are answered with this status. */
  fault(method: string, path: RegExp, status: number, reason: string, message: string, times = 1): void {
    this.faults.push({ method, path, status, reason, message, times });
  }

  /** Cuts every open watch connection (as an API server restart or a load balancer would). */
  dropWatches(): void {
    for (const w of this.watchers) w.res.destroy();
    this.watchers.clear();
  }

  /** Forgets all events so far: resuming a watch from an older resourceVersion gets 410 Gone. */
  compact(): void {
    this.compactedThrough = this.rv;
    this.history = [];
  }

  /** Kueue admits the workload: the Job is unsuspended and its pod created. */
  admit(namespace: string, name: string): void {
    const job = this.mustJob(namespace, name);
    job.spec.suspend = false;
    this.setCondition(job, 'Suspended', 'False', 'JobResumed', 'Job resumed');
    job.status.startTime = now();
    this.changed(job);
    this.syncJob(job);
  }

  /** Kueue evicts the workload: the Job is suspended again and its pods are deleted. */
  evict(namespace: string, name: string): void {
    const job = this.mustJob(namespace, name);
    job.spec.suspend = true;
    this.setCondition(job, 'Suspended', 'True', 'JobSuspended', 'Job suspended');
    this.changed(job);
    for (const [podKey, rec] of this.pods) if (rec.jobKey === `${namespace}/${name}`) this.deletePod(podKey, undefined);
  }

  job(namespace: string, name: string): Obj | undefined {
    return this.jobs.get(`${namespace}/${name}`);
  }

  podsOf(namespace: string, jobName: string): Obj[] {
    return [...this.pods.values()].filter((r) => r.jobKey === `${namespace}/${jobName}`).map((r) => r.pod);
  }

  /** A Job created by hand (e.g. with the same name as an attempt's), as kubectl would. */
  createJobDirectly(job: Obj): void {
    this.createJob(job.metadata.namespace, clone(job));
  }

  // ---- HTTP ------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, query });
    const bodyText = await new Promise<string>((resolve) => {
      let text = '';
      req.on('data', (c) => (text += c));
      req.on('end', () => resolve(text));
    });
    const body = bodyText ? JSON.parse(bodyText) : undefined;
    const fault = this.faults.find((f) => f.method === method && f.path.test(url.pathname) && f.times > 0);
    if (fault) {
      fault.times--;
      return this.status(res, fault.status, fault.reason, fault.message);
    }
    let m = url.pathname.match(/^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs(?:\/([^/]+))?$/);
    if (m) {
      const [, namespace, name] = m.map((p) => (p === undefined ? p : decodeURIComponent(p)));
      if (!this.namespaces.has(namespace)) return this.status(res, 404, 'NotFound', `namespaces "${namespace}" not found`);
      if (!name && method === 'POST') return this.postJob(res, namespace, body);
      if (!name && method === 'GET' && query.watch === 'true') return this.watch(res, namespace, query);
      if (!name && method === 'GET') return this.json(res, 200, this.list('JobList', 'batch/v1', [...this.jobs.values()], namespace, query.labelSelector));
      const job = this.jobs.get(`${namespace}/${name}`);
      if (!job) return this.status(res, 404, 'NotFound', `jobs.batch "${name}" not found`);
      if (method === 'GET') return this.json(res, 200, job);
      if (method === 'DELETE') return this.json(res, 200, this.deleteJob(job, { ...query, ...(body ?? {}) }));
    }
    m = url.pathname.match(/^\/api\/v1\/namespaces\/([^/]+)\/pods(?:\/([^/]+)(\/log)?)?$/);
    if (m) {
      const [, namespace, name, log] = m.map((p) => (p === undefined ? p : decodeURIComponent(p)));
      if (!this.namespaces.has(namespace)) return this.status(res, 404, 'NotFound', `namespaces "${namespace}" not found`);
      if (!name && method === 'GET') return this.json(res, 200, this.list('PodList', 'v1', [...this.pods.values()].map((r) => r.pod), namespace, query.labelSelector));
      const rec = this.pods.get(`${namespace}/${name}`);
      if (!rec) return this.status(res, 404, 'NotFound', `pods "${name}" not found`);
      if (log && method === 'GET') return this.podLog(res, rec, query);
      if (method === 'GET') return this.json(res, 200, rec.pod);
      if (method === 'DELETE') {
        const opts = { ...query, ...(body ?? {}) };
        const pod = this.deletePod(`${namespace}/${name}`, opts.gracePeriodSeconds === undefined ? undefined : Number(opts.gracePeriodSeconds));
        return this.json(res, 200, pod);
      }
    }
    this.status(res, 404, 'NotFound', `the server could not find the requested resource (${method} ${url.pathname})`);
  }

  private json(res: ServerResponse, code: number, value: unknown): void {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  }

  private status(res: ServerResponse, code: number, reason: string, message: string): void {
    this.json(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
  }

  private list(kind: string, apiVersion: string, items: Obj[], namespace: string, selector: string | undefined): Obj {
    return { kind, apiVersion, metadata: { resourceVersion: String(this.rv) }, items: items.filter((o) => o.metadata.namespace === namespace && matches(o.metadata.labels, selector)) };
  }

  // ---- Jobs ------------------------------------------------------------------------------------

  private postJob(res: ServerResponse, namespace: string, job: Obj): void {
    const problems: string[] = [];
    try {
      new JobModel(job).validate();
    } catch (error) {
      problems.push((error as Error).message);
    }
    const name = job?.metadata?.name ?? '';
    if (!NAME.test(name) || name.length > 63) problems.push(`metadata.name: Invalid value: "${name}": must be a DNS label`);
    for (const labels of [job?.metadata?.labels ?? {}, job?.spec?.template?.metadata?.labels ?? {}]) {
      for (const [k, v] of Object.entries(labels)) if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) problems.push(`metadata.labels: Invalid value: "${String(v)}" (${k})`);
    }
    if (job?.spec?.template?.spec?.restartPolicy !== 'Never' && job?.spec?.template?.spec?.restartPolicy !== 'OnFailure') {
      problems.push('spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"');
    }
    if (problems.length > 0) return this.status(res, 422, 'Invalid', `Job.batch "${name}" is invalid: ${problems.join('; ')}`);
    if (this.jobs.has(`${namespace}/${name}`)) return this.status(res, 409, 'AlreadyExists', `jobs.batch "${name}" already exists`);
    this.json(res, 201, this.createJob(namespace, job));
  }

  private createJob(namespace: string, job: Obj): Obj {
    job.metadata = { ...job.metadata, namespace, uid: randomUUID(), creationTimestamp: now(), generation: 1 };
    job.status = {};
    if (job.spec.suspend) this.setCondition(job, 'Suspended', 'True', 'JobSuspended', 'Job suspended');
    else job.status.startTime = now();
    this.jobs.set(`${namespace}/${job.metadata.name}`, job);
    this.record('ADDED', job);
    this.syncJob(job);
    return job;
  }

  private mustJob(namespace: string, name: string): Obj {
    const job = this.jobs.get(`${namespace}/${name}`);
    if (!job) throw new Error(`fake cluster: no Job ${namespace}/${name}`);
    return job;
  }

  private record(type: string, job: Obj): void {
    job.metadata.resourceVersion = String(++this.rv);
    const entry = { rv: this.rv, namespace: job.metadata.namespace, type, json: JSON.stringify({ type, object: job }), labels: { ...job.metadata.labels } };
    this.history.push(entry);
    for (const w of this.watchers) if (w.namespace === entry.namespace && matches(entry.labels, w.selector)) w.res.write(`${entry.json}\n`);
  }

  private changed(job: Obj): void {
    if (this.jobs.get(`${job.metadata.namespace}/${job.metadata.name}`) === job) this.record('MODIFIED', job);
  }

  private setCondition(job: Obj, type: string, status: string, reason: string, message: string): void {
    const conditions: Obj[] = (job.status.conditions ??= []);
    const existing = conditions.find((c) => c.type === type);
    const value = { type, status, reason, message, lastProbeTime: now(), lastTransitionTime: now() };
    if (existing) Object.assign(existing, value);
    else conditions.push(value);
  }

  /** The Job controller: one pod (backoffLimit 0), counts, conditions, deadline, deletion. */
  private syncJob(job: Obj): void {
    const key = `${job.metadata.namespace}/${job.metadata.name}`;
    const pods = [...this.pods.values()].filter((r) => r.jobKey === key);
    if (job.metadata.deletionTimestamp) {
      if (pods.length === 0) this.removeJob(job);
      return;
    }
    const over = (job.status.conditions ?? []).some((c: Obj) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
    if (over || job.spec.suspend) return;
    if (!this.podCreated.has(key)) {
      this.podCreated.add(key);
      this.createPod(job);
      if (job.spec.activeDeadlineSeconds) {
        this.deadlines.set(key, setTimeout(() => this.deadlineExceeded(job), job.spec.activeDeadlineSeconds * 1000));
      }
    }
    const active = pods.filter((r) => r.pod.status.phase === 'Pending' || r.pod.status.phase === 'Running').length;
    const succeeded = pods.filter((r) => r.pod.status.phase === 'Succeeded').length;
    const failed = pods.filter((r) => r.pod.status.phase === 'Failed').length + (this.failedByDeletion.get(key) ?? 0);
    const ready = pods.filter((r) => r.pod.status.phase === 'Running' && !r.pod.metadata.deletionTimestamp).length;
    Object.assign(job.status, { active, ready, succeeded, failed });
    if (succeeded > 0) {
      this.setCondition(job, 'SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods');
      this.setCondition(job, 'Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods');
      job.status.completionTime = now();
      clearTimeout(this.deadlines.get(key));
    } else if (failed > 0 && active === 0) {
      this.setCondition(job, 'FailureTarget', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
      this.setCondition(job, 'Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
      clearTimeout(this.deadlines.get(key));
    }
    this.changed(job);
  }

  private deadlineExceeded(job: Obj): void {
    const key = `${job.metadata.namespace}/${job.metadata.name}`;
    if (!this.jobs.has(key)) return;
    this.setCondition(job, 'Failed', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline');
    this.changed(job);
    for (const [podKey, rec] of this.pods) if (rec.jobKey === key) this.deletePod(podKey, undefined);
  }

  private deleteJob(job: Obj, opts: { propagationPolicy?: string; gracePeriodSeconds?: string | number }): Obj {
    const key = `${job.metadata.namespace}/${job.metadata.name}`;
    clearTimeout(this.deadlines.get(key));
    const policy = opts.propagationPolicy ?? 'Background';
    const podKeys = [...this.pods].filter(([, r]) => r.jobKey === key).map(([k]) => k);
    if (policy === 'Foreground' && podKeys.length > 0) {
      job.metadata.deletionTimestamp = now();
      job.metadata.finalizers = ['foregroundDeletion'];
      this.changed(job);
    } else {
      this.removeJob(job);
    }
    // The garbage collector deletes the dependents with their own grace period (not the Job's).
    if (policy !== 'Orphan') for (const podKey of podKeys) this.deletePod(podKey, undefined);
    return job;
  }

  private removeJob(job: Obj): void {
    const key = `${job.metadata.namespace}/${job.metadata.name}`;
    if (!this.jobs.has(key)) return;
    this.jobs.delete(key);
    job.metadata.deletionTimestamp ??= now();
    this.record('DELETED', job);
  }

  // ---- watch -----------------------------------------------------------------------------------

  private watch(res: ServerResponse, namespace: string, query: Record<string, string>): void {
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    const from = Number(query.resourceVersion ?? '0');
    if (query.resourceVersion && from < this.compactedThrough) {
      res.end(`${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${from} (${this.compactedThrough})`, reason: 'Expired', code: 410 } })}\n`);
      return;
    }
    if (!query.resourceVersion || from === 0) {
      for (const job of this.jobs.values()) if (job.metadata.namespace === namespace && matches(job.metadata.labels, query.labelSelector)) res.write(`${JSON.stringify({ type: 'ADDED', object: job })}\n`);
    } else {
      for (const e of this.history) if (e.rv > from && e.namespace === namespace && matches(e.labels, query.labelSelector)) res.write(`${e.json}\n`);
    }
    const watcher = { namespace, selector: query.labelSelector, res };
    this.watchers.add(watcher);
    res.on('close', () => this.watchers.delete(watcher));
  }

  // ---- pods and the kubelet --------------------------------------------------------------------

  private createPod(job: Obj): void {
    const template = clone(job.spec.template);
    const name = `${job.metadata.name}-${randomBytes(3).toString('hex').slice(0, 5)}`;
    const pod = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: {
        ...template.metadata, name, namespace: job.metadata.namespace, uid: randomUUID(), creationTimestamp: now(), resourceVersion: String(++this.rv),
        labels: { ...template.metadata?.labels, 'batch.kubernetes.io/job-name': job.metadata.name, 'job-name': job.metadata.name, 'batch.kubernetes.io/controller-uid': job.metadata.uid },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name, uid: job.metadata.uid, controller: true, blockOwnerDeletion: true }],
      },
      spec: template.spec,
      status: { phase: 'Pending', conditions: [] as Obj[] },
    };
    const rec: PodRecord = { pod, jobKey: `${job.metadata.namespace}/${job.metadata.name}`, log: [], followers: new Set(), gpus: [], countsAsFailure: false };
    this.pods.set(`${pod.metadata.namespace}/${name}`, rec);
    setImmediate(() => this.schedule(rec));
  }

  /** The scheduler: one node with a few GPUs; a pod that asks for more than are free stays Pending, Unschedulable. */
  private schedule(rec: PodRecord): void {
    if (!this.pods.has(`${rec.pod.metadata.namespace}/${rec.pod.metadata.name}`) || rec.pod.spec.nodeName) return;
    const want = Number(rec.pod.spec.containers[0]?.resources?.limits?.['nvidia.com/gpu'] ?? 0);
    if (want > this.freeGpus.length) {
      rec.pod.status.conditions = [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: `0/1 nodes are available: 1 Insufficient nvidia.com/gpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.` }];
      return;
    }
    rec.gpus = this.freeGpus.splice(0, want);
    rec.pod.spec.nodeName = this.nodeName;
    rec.pod.status.conditions = [{ type: 'PodScheduled', status: 'True' }];
    rec.pod.status.containerStatuses = [{ name: rec.pod.spec.containers[0].name, ready: false, restartCount: 0, image: rec.pod.spec.containers[0].image, state: { waiting: { reason: 'ContainerCreating' } } }];
    setTimeout(() => this.runContainer(rec), 20);
  }

  private reschedulePending(): void {
    for (const rec of this.pods.values()) if (!rec.pod.spec.nodeName) this.schedule(rec);
  }

  private runContainer(rec: PodRecord): void {
    const { pod } = rec;
    if (pod.metadata.deletionTimestamp) return this.removePod(rec);
    const container = pod.spec.containers[0];
    const sandbox = join(this.root, pod.metadata.uid);
    const mounts: Array<[string, string]> = [];
    for (const vm of container.volumeMounts ?? []) {
      const volume = (pod.spec.volumes ?? []).find((v: Obj) => v.name === vm.name);
      const dir = join(sandbox, 'volumes', vm.name);
      mkdirSync(dir, { recursive: true });
      for (const item of volume?.downwardAPI?.items ?? []) {
        const path: string = item.fieldRef.fieldPath;
        const ann = path.match(/^metadata\.annotations\['(.+)'\]$/);
        const label = path.match(/^metadata\.labels\['(.+)'\]$/);
        const value = ann ? pod.metadata.annotations?.[ann[1]] : label ? pod.metadata.labels?.[label[1]] : path === 'metadata.name' ? pod.metadata.name : path === 'metadata.namespace' ? pod.metadata.namespace : '';
        mkdirSync(dirname(join(dir, item.path)), { recursive: true });
        writeFileSync(join(dir, item.path), value ?? '');
      }
      mounts.push([vm.mountPath, dir]);
    }
    const translate = (s: string) => {
      for (const [mountPath, dir] of mounts) if (s === mountPath || s.startsWith(`${mountPath}/`)) return dir + s.slice(mountPath.length);
      return s;
    };
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOSTNAME: pod.metadata.name };
    for (const e of container.env ?? []) env[e.name] = translate(e.value ?? '');
    const argv: string[] = [...(container.command ?? []), ...(container.args ?? [])].map(translate);
    const cwd = container.workingDir ? translate(container.workingDir) : sandbox;
    mkdirSync(cwd, { recursive: true });
    const startedAt = now();
    const child = spawn(argv[0], argv.slice(1), { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    rec.process = child;
    const append = (chunk: Buffer) => {
      rec.log.push(chunk);
      for (const res of rec.followers) res.write(chunk);
    };
    child.stdout!.on('data', append);
    child.stderr!.on('data', append);
    child.on('error', (error) => this.containerEnded(rec, { exitCode: 128, reason: 'StartError', message: error.message, startedAt: '1970-01-01T00:00:00Z', finishedAt: now() }));
    child.on('spawn', () => {
      pod.status.phase = 'Running';
      pod.status.startTime = startedAt;
      const status = pod.status.containerStatuses[0];
      Object.assign(status, { ready: true, started: true, state: { running: { startedAt } } });
      if (rec.gpus.length > 0) status.allocatedResourcesStatus = [{ name: 'nvidia.com/gpu', resources: rec.gpus.map((id) => ({ resourceID: id, health: 'Healthy' })) }];
      pod.status.conditions.push({ type: 'Ready', status: 'True' });
      const job = this.jobs.get(rec.jobKey);
      if (job) this.syncJob(job);
    });
    child.on('close', (code, signal) => {
      const exitCode = code ?? 128 + (signal ? constants.signals[signal] : 0);
      this.containerEnded(rec, { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt, finishedAt: now() });
    });
  }

  private containerEnded(rec: PodRecord, terminated: Obj): void {
    clearTimeout(rec.killTimer);
    const { pod } = rec;
    pod.status.phase = terminated.exitCode === 0 ? 'Succeeded' : 'Failed';
    pod.status.containerStatuses[0] = { ...pod.status.containerStatuses[0], ready: false, started: false, state: { terminated } };
    for (const res of rec.followers) res.end();
    rec.followers.clear();
    this.freeGpus.push(...rec.gpus);
    rec.gpus = [];
    if (pod.metadata.deletionTimestamp) this.removePod(rec);
    else {
      const job = this.jobs.get(rec.jobKey);
      if (job) this.syncJob(job);
    }
    this.reschedulePending();
  }

  /** Graceful deletion: SIGTERM to the process group now, SIGKILL after the grace period; the pod is removed once it has stopped. */
  private deletePod(podKey: string, gracePeriodSeconds: number | undefined): Obj {
    const rec = this.pods.get(podKey)!;
    const { pod } = rec;
    const grace = gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
    const running = rec.process && rec.process.exitCode === null && rec.process.signalCode === null && pod.status.phase === 'Running';
    const job = this.jobs.get(rec.jobKey);
    if (job && !job.metadata.deletionTimestamp && !job.spec.suspend && (pod.status.phase === 'Pending' || pod.status.phase === 'Running')) rec.countsAsFailure = true;
    if (!running) {
      pod.metadata.deletionTimestamp ??= now();
      if (pod.status.phase !== 'Pending' || !rec.pod.spec.nodeName || !rec.process) this.removePod(rec);
      return pod;
    }
    const first = !pod.metadata.deletionTimestamp;
    const remaining = first ? Infinity : pod.metadata.deletionGracePeriodSeconds;
    if (grace >= remaining) return pod;
    pod.metadata.deletionTimestamp = now();
    pod.metadata.deletionGracePeriodSeconds = grace;
    pod.status.conditions.push({ type: 'Ready', status: 'False' });
    if (first) this.signal(rec, 'SIGTERM');
    clearTimeout(rec.killTimer);
    rec.killTimer = setTimeout(() => this.signal(rec, 'SIGKILL'), grace * 1000);
    if (job) this.syncJob(job);
    return pod;
  }

  private signal(rec: PodRecord, signal: NodeJS.Signals): void {
    try {
      if (rec.process?.pid) process.kill(-rec.process.pid, signal);
    } catch { /* already gone */ }
  }

  private removePod(rec: PodRecord): void {
    const podKey = `${rec.pod.metadata.namespace}/${rec.pod.metadata.name}`;
    if (!this.pods.delete(podKey)) return;
    for (const res of rec.followers) res.end();
    this.freeGpus.push(...rec.gpus);
    rec.gpus = [];
    const job = this.jobs.get(rec.jobKey);
    if (job) {
      if (rec.countsAsFailure) this.failedByDeletion.set(rec.jobKey, (this.failedByDeletion.get(rec.jobKey) ?? 0) + 1);
      this.syncJob(job);
    }
    this.reschedulePending();
  }

  private podLog(res: ServerResponse, rec: PodRecord, query: Record<string, string>): void {
    const state = rec.pod.status.containerStatuses?.[0]?.state;
    if (!state?.running && !state?.terminated) {
      return this.status(res, 400, 'BadRequest', `container "${query.container}" in pod "${rec.pod.metadata.name}" is waiting to start: ${state?.waiting?.reason ?? 'ContainerCreating'}`);
    }
    res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
    for (const chunk of rec.log) res.write(chunk);
    if (query.follow === 'true' && state.running) {
      rec.followers.add(res);
      res.on('close', () => rec.followers.delete(res));
    } else {
      res.end();
    }
  }
}

/** Equality-based label selectors (`a=b,c=d`, `a!=b`) and existence (`a`). */
function matches(labels: Record<string, string> | undefined, selector: string | undefined): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const ne = term.split('!=');
    if (ne.length === 2) return labels?.[ne[0]] !== ne[1];
    const eq = term.split('=');
    if (eq.length === 2) return labels?.[eq[0]] === eq[1];
    return labels?.[term] !== undefined;
  });
}
