import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { trialEnvironment, trialParamsDocument, type PriorityClass, type TrialLaunch } from '@fairsweep/sdk';

/** Label and annotation keys this executor sets (values of labels are sanitised; annotations keep the exact ids). */
export const LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  instance: 'fairsweep.io/instance',
  tenant: 'fairsweep.io/tenant',
  experiment: 'fairsweep.io/experiment',
  trial: 'fairsweep.io/trial',
  attempt: 'fairsweep.io/attempt',
  /** The Job's name, also on its pods: how the executor lists an attempt's pods. */
  job: 'fairsweep.io/job',
  kueueQueue: 'kueue.x-k8s.io/queue-name',
  kueuePriority: 'kueue.x-k8s.io/priority-class',
} as const;

export const ANNOTATIONS = {
  attemptId: 'fairsweep.io/attempt-id',
  trialId: 'fairsweep.io/trial-id',
  experimentId: 'fairsweep.io/experiment-id',
  tenant: 'fairsweep.io/tenant',
  /** params.json's contents, projected into the container by a downwardAPI volume. */
  params: 'fairsweep.io/params',
} as const;

export const MANAGED_BY = 'fairsweep';
export const CONTAINER_NAME = 'trial';
const PARAMS_VOLUME = 'fairsweep-params';
const WORK_VOLUME = 'fairsweep-work';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function hash8(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/**
 * A label value for any text: at most 63 characters of `[A-Za-z0-9._-]`, starting and ending
 * alphanumeric. Other characters become `_`; a value that had to be changed or shortened gets a
 * hash suffix of the original, so two different ids never share a label value by accident.
 */
export function labelValue(text: string): string {
  if (text.length <= 63 && LABEL_VALUE.test(text)) return text;
  const cleaned = text.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 54).replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9]+$/, '');
  return cleaned ? `${cleaned}-${hash8(text)}` : `h-${hash8(text)}`;
}

export function isLabelValue(text: string): boolean {
  return text.length <= 63 && LABEL_VALUE.test(text);
}

export function isDnsLabel(text: string): boolean {
  return text.length <= 63 && DNS_LABEL.test(text);
}

/**
 * The Job's name for an attempt: `fs-<readable part>-<hash of the attemptId>`, a DNS label of at
 * most 63 characters (so it also fits the `job-name` label Kubernetes puts on the pods). The same
 * attemptId always gives the same name: that is how a restarted executor finds its Jobs.
 */
export function jobName(attemptId: string): string {
  const readable = attemptId.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, 50).replace(/-$/, '');
  return readable ? `fs-${readable}-${hash8(attemptId)}` : `fs-${hash8(attemptId)}`;
}

/** `fairsweep-{tenant}` → `fairsweep-acme`; a function is called with the tenant. */
export type NamespaceTemplate = string | ((tenant: string) => string);

/** The namespace of a tenant's Jobs, or a problem: a namespace must be a DNS label, and tenants are never merged by sanitising. */
export function namespaceFor(template: NamespaceTemplate, tenant: string): { namespace: string } | { problem: string } {
  const namespace = typeof template === 'function' ? template(tenant) : template.split('{tenant}').join(tenant);
  if (typeof namespace !== 'string' || !isDnsLabel(namespace)) {
    return {
      problem: `the namespace ${JSON.stringify(namespace)} for tenant ${JSON.stringify(tenant)} is not a valid Kubernetes namespace name `
        + '(at most 63 characters: lower-case letters, digits and "-", starting and ending with a letter or digit); change the namespace template or the tenant name',
    };
  }
  return { namespace };
}

export interface ManifestSettings {
  namespace: string;
  image: string;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  instance: string;
  /** Where the downwardAPI params volume (`params.json`) and the emptyDir working directory are mounted. */
  mountRoot: string;
  terminationGraceSeconds: number;
  /** Kueue LocalQueue, when Kueue admits the Jobs: the Job is created suspended. */
  kueueQueue?: string;
  kueuePriorityClass?: string;
  priorityClassName?: string;
  serviceAccountName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Array<Record<string, unknown>>;
  /** Set CPU limits equal to requests (default true; memory limits always equal requests). */
  cpuLimits: boolean;
  gpuResource: string;
  ttlSecondsAfterFinished: number | null;
  hostEnv: Record<string, string>;
}

/** What a trial finds in its container: FAIRSWEEP_PARAMS_FILE and the working directory. */
export function containerPaths(mountRoot: string): { paramsDir: string; paramsFile: string; workDir: string } {
  const paramsDir = posix.join(mountRoot, 'params');
  return { paramsDir, paramsFile: posix.join(paramsDir, 'params.json'), workDir: posix.join(mountRoot, 'work') };
}

/** The priority class a launch carries, if the platform sets one (TrialLaunch may gain a `priority`). */
export function launchPriority(launch: TrialLaunch): PriorityClass {
  return (launch as TrialLaunch & { priority?: PriorityClass }).priority ?? 'standard';
}

function quantityCpu(cpus: number): string {
  const milli = Math.max(1, Math.ceil(cpus * 1000));
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/**
 * The container's environment: host env, then the spec's env, then the FAIRSWEEP_* variables (the
 * same layers as the local and Slurm executors). CUDA_VISIBLE_DEVICES is left to the device
 * plugin: a container sees only the GPUs it was given.
 */
export function containerEnvironment(launch: TrialLaunch, paramsFile: string, hostEnv: Record<string, string>): Array<{ name: string; value: string }> {
  const env: Record<string, string> = { ...hostEnv, ...launch.env, ...trialEnvironment(launch, paramsFile) };
  return Object.entries(env).map(([name, value]) => ({ name, value }));
}

/** One batch/v1 Job for one attempt. Pure: the same launch and settings give the same manifest. */
export function jobManifest(launch: TrialLaunch, s: ManifestSettings): Record<string, unknown> {
  const name = jobName(launch.attemptId);
  const { paramsDir, paramsFile, workDir } = containerPaths(s.mountRoot);
  const labels: Record<string, string> = {
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.instance]: labelValue(s.instance),
    [LABELS.tenant]: labelValue(launch.tenant),
    [LABELS.experiment]: labelValue(launch.experimentId),
    [LABELS.trial]: labelValue(launch.trialId),
    [LABELS.attempt]: labelValue(launch.attemptId),
    [LABELS.job]: name,
  };
  const jobLabels = { ...labels };
  if (s.kueueQueue) jobLabels[LABELS.kueueQueue] = s.kueueQueue;
  if (s.kueueQueue && s.kueuePriorityClass) jobLabels[LABELS.kueuePriority] = s.kueuePriorityClass;
  const annotations = {
    [ANNOTATIONS.attemptId]: launch.attemptId,
    [ANNOTATIONS.trialId]: launch.trialId,
    [ANNOTATIONS.experimentId]: launch.experimentId,
    [ANNOTATIONS.tenant]: launch.tenant,
  };
  const { cpus, gpus, memoryMb } = launch.resources;
  const requests: Record<string, string> = { cpu: quantityCpu(cpus), memory: `${Math.max(1, Math.ceil(memoryMb))}Mi` };
  const limits: Record<string, string> = { memory: requests.memory };
  if (s.cpuLimits) limits.cpu = requests.cpu;
  if (gpus > 0) {
    // Extended resources: requests must equal limits.
    requests[s.gpuResource] = String(gpus);
    limits[s.gpuResource] = String(gpus);
  }
  const podSpec: Record<string, unknown> = {
    restartPolicy: 'Never',
    terminationGracePeriodSeconds: s.terminationGraceSeconds,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    containers: [{
      name: CONTAINER_NAME,
      image: s.image,
      ...(s.imagePullPolicy ? { imagePullPolicy: s.imagePullPolicy } : {}),
      command: [...launch.command],
      workingDir: workDir,
      env: containerEnvironment(launch, paramsFile, s.hostEnv),
      resources: { requests, limits },
      volumeMounts: [
        { name: PARAMS_VOLUME, mountPath: paramsDir, readOnly: true },
        { name: WORK_VOLUME, mountPath: workDir },
      ],
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
    }],
    volumes: [
      {
        name: PARAMS_VOLUME,
        downwardAPI: { items: [{ path: 'params.json', fieldRef: { fieldPath: `metadata.annotations['${ANNOTATIONS.params}']` } }] },
      },
      { name: WORK_VOLUME, emptyDir: {} },
    ],
  };
  if (s.priorityClassName) podSpec.priorityClassName = s.priorityClassName;
  if (s.serviceAccountName) podSpec.serviceAccountName = s.serviceAccountName;
  if (s.nodeSelector && Object.keys(s.nodeSelector).length > 0) podSpec.nodeSelector = { ...s.nodeSelector };
  if (s.tolerations && s.tolerations.length > 0) podSpec.tolerations = s.tolerations.map((t) => ({ ...t }));

  const spec: Record<string, unknown> = {
    backoffLimit: 0,
    completions: 1,
    parallelism: 1,
    template: {
      metadata: {
        labels,
        annotations: { ...annotations, [ANNOTATIONS.params]: `${JSON.stringify(trialParamsDocument(launch), null, 2)}\n` },
      },
      spec: podSpec,
    },
  };
  if (launch.maxRuntimeSeconds !== null) spec.activeDeadlineSeconds = Math.max(1, Math.ceil(launch.maxRuntimeSeconds));
  if (s.ttlSecondsAfterFinished !== null) spec.ttlSecondsAfterFinished = s.ttlSecondsAfterFinished;
  if (s.kueueQueue) spec.suspend = true;

  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: s.namespace, labels: jobLabels, annotations },
    spec,
  };
}

/**
 * What the API server would refuse but the OpenAPI schema does not say: names, label keys and
 * values, annotation size. `[]` when the manifest is acceptable.
 */
export function manifestProblems(manifest: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const meta = manifest.metadata as { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> };
  const template = (manifest.spec as { template: { metadata: { labels: Record<string, string>; annotations: Record<string, string> } } }).template.metadata;
  if (!isDnsLabel(meta.name)) problems.push(`metadata.name ${JSON.stringify(meta.name)} is not a DNS label of at most 63 characters`);
  if (!isDnsLabel(meta.namespace)) problems.push(`metadata.namespace ${JSON.stringify(meta.namespace)} is not a DNS label`);
  for (const [where, labels] of [['metadata.labels', meta.labels], ['spec.template.metadata.labels', template.labels]] as const) {
    for (const [key, value] of Object.entries(labels)) {
      const [prefix, name] = key.includes('/') ? key.split('/', 2) : [undefined, key];
      if (!name || name.length > 63 || !/^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/.test(name) || (prefix !== undefined && (prefix.length > 253 || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(prefix)))) {
        problems.push(`${where}: invalid label key ${JSON.stringify(key)}`);
      }
      if (!isLabelValue(value)) problems.push(`${where}[${key}]: invalid label value ${JSON.stringify(value)}`);
    }
  }
  for (const [where, annotations] of [['metadata.annotations', meta.annotations], ['spec.template.metadata.annotations', template.annotations]] as const) {
    const size = Object.entries(annotations).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
    if (size > 256 * 1024) problems.push(`${where}: ${size} bytes of annotations, over Kubernetes' 256 KiB limit (are the params this large?)`);
  }
  return problems;
}
