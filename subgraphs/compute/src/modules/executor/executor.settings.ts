/** Which executor runs a pool's trials, and its options: plain data, read from the environment. */
export type ExecutorSettings = LocalExecutorSettings | SlurmExecutorSettings | KubernetesExecutorSettings;

export interface LocalExecutorSettings {
  kind: 'local';
  /** Delegated cgroup v2 directory for per-trial limits, or false (default: the executor's own). */
  cgroupParent?: string | false;
  /** nvidia-smi to ask for the GPU inventory, or false (default: nvidia-smi on PATH). */
  nvidiaSmi?: string | false;
}

export interface SlurmExecutorSettings {
  kind: 'slurm';
  partition?: string;
  /** Tenant → Slurm account. */
  accounts: Record<string, string>;
  /** Account for tenants not in `accounts`, with `{tenant}` replaced; none: such tenants' trials fail with a clear reason. */
  accountTemplate?: string;
  /** Priority class (critical, standard, preemptible) → QOS. */
  qos: Record<string, string>;
  /** QOS for classes not in `qos`, with `{priority}` replaced; none: the association's default QOS. */
  qosTemplate?: string;
  slurmConf?: string;
  pollIntervalMs?: number;
  sbatchArgs?: string[];
}

export interface KubernetesExecutorSettings {
  kind: 'kubernetes';
  /** The container image trials run in. */
  image: string;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** A kubeconfig file, or 'in-cluster' (the pod's service account); none: in-cluster where it runs in a pod, else KUBECONFIG / ~/.kube/config. */
  kubeconfig?: string;
  /** A context of that kubeconfig (default: its current context). */
  context?: string;
  /** API server URL: replaces the server of the kubeconfig's cluster; without a kubeconfig it is used without credentials (e.g. `kubectl proxy`). */
  apiServer?: string;
  /** Namespace of a tenant's Jobs, with `{tenant}` replaced (default `fairsweep-{tenant}`). */
  namespace?: string;
  /** Label value telling this installation's Jobs apart in a shared cluster (default `fairsweep`). */
  instance?: string;
  /** Kueue LocalQueue name template (`{tenant}`, `{priority}`); set: Jobs are created suspended for Kueue to admit. */
  kueueQueue?: string;
  /** Kueue WorkloadPriorityClass template (`{tenant}`, `{priority}`); needs kueueQueue. */
  kueuePriorityClass?: string;
  /** Priority class (critical, standard, preemptible) → pod priorityClassName. */
  priorityClasses: Record<string, string>;
  /** priorityClassName for classes not in `priorityClasses`, with `{priority}` replaced; none: the cluster default. */
  priorityClassTemplate?: string;
  serviceAccountName?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Array<Record<string, unknown>>;
  /** Extended resource GPUs are requested as (default `nvidia.com/gpu`). */
  gpuResource?: string;
  /** false: no CPU limit (requests only); default: limits = requests. */
  cpuLimits?: boolean;
  /** The pods' terminationGracePeriodSeconds (default: compute's cancel grace). */
  terminationGraceSeconds?: number;
  /** Finished Jobs kept this long (default 86400); null: kept until deleted by someone else. */
  ttlSecondsAfterFinished?: number | null;
  propagationPolicy?: 'Foreground' | 'Background';
  pollIntervalMs?: number;
  resyncIntervalMs?: number;
}

export const PRIORITY_CLASSES = ['critical', 'standard', 'preemptible'];
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** `a=x,b=y` → {a: 'x', b: 'y'}, naming the variable and the entry that is wrong. */
export function parseMapping(raw: string | undefined, variable: string, keys?: readonly string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const entry of (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = entry.indexOf('=');
    const key = entry.slice(0, eq).trim();
    const value = entry.slice(eq + 1).trim();
    if (eq <= 0 || !NAME.test(key) || !NAME.test(value)) {
      throw new Error(`${variable}: "${entry}" is not name=value (letters, digits, ".", "_", "-"); example: ${variable}=acme=fs-acme,globex=fs-globex`);
    }
    if (keys && !keys.includes(key)) throw new Error(`${variable}: "${key}" is not one of ${keys.join(', ')}`);
    if (key in map) throw new Error(`${variable}: "${key}" is mapped twice`);
    map[key] = value;
  }
  return map;
}

const offOr = (raw: string | undefined): string | false | undefined => (raw === undefined || raw === '' ? undefined : raw === 'off' ? false : raw);

/**
 * FAIRSWEEP_EXECUTOR (local | slurm | kubernetes, default local) and its options:
 * - local: FAIRSWEEP_CGROUP_PARENT (a path, or "off"), FAIRSWEEP_NVIDIA_SMI (a path, or "off");
 * - slurm: FAIRSWEEP_SLURM_PARTITION, FAIRSWEEP_SLURM_ACCOUNTS (tenant=account,…),
 *   FAIRSWEEP_SLURM_ACCOUNT_TEMPLATE (e.g. fs-{tenant}), FAIRSWEEP_SLURM_QOS (priority=qos,…),
 *   FAIRSWEEP_SLURM_QOS_TEMPLATE (e.g. fs-{priority}), FAIRSWEEP_SLURM_CONF, FAIRSWEEP_SLURM_POLL_MS,
 *   FAIRSWEEP_SLURM_SBATCH_ARGS (space-separated).
 * - kubernetes: FAIRSWEEP_K8S_* (see kubernetesSettingsFromEnv).
 * The work root (FAIRSWEEP_WORK_DIR) must be on a file system the Slurm nodes share.
 */
export function executorSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ExecutorSettings {
  const kind = (env.FAIRSWEEP_EXECUTOR ?? 'local').trim() || 'local';
  if (kind === 'local') {
    const settings: LocalExecutorSettings = { kind: 'local' };
    const cgroupParent = offOr(env.FAIRSWEEP_CGROUP_PARENT);
    const nvidiaSmi = offOr(env.FAIRSWEEP_NVIDIA_SMI);
    if (cgroupParent !== undefined) settings.cgroupParent = cgroupParent;
    if (nvidiaSmi !== undefined) settings.nvidiaSmi = nvidiaSmi;
    return settings;
  }
  if (kind === 'kubernetes') return kubernetesSettingsFromEnv(env);
  if (kind !== 'slurm') throw new Error(`FAIRSWEEP_EXECUTOR must be "local", "slurm" or "kubernetes", got "${kind}"`);
  const settings: SlurmExecutorSettings = {
    kind: 'slurm',
    accounts: parseMapping(env.FAIRSWEEP_SLURM_ACCOUNTS, 'FAIRSWEEP_SLURM_ACCOUNTS'),
    qos: parseMapping(env.FAIRSWEEP_SLURM_QOS, 'FAIRSWEEP_SLURM_QOS', PRIORITY_CLASSES),
  };
  const template = (variable: string, placeholder: string) => {
    const value = env[variable]?.trim();
    if (!value) return undefined;
    if (!value.includes(placeholder)) throw new Error(`${variable} must contain ${placeholder}, got "${value}"`);
    return value;
  };
  const accountTemplate = template('FAIRSWEEP_SLURM_ACCOUNT_TEMPLATE', '{tenant}');
  const qosTemplate = template('FAIRSWEEP_SLURM_QOS_TEMPLATE', '{priority}');
  if (accountTemplate) settings.accountTemplate = accountTemplate;
  if (qosTemplate) settings.qosTemplate = qosTemplate;
  if (env.FAIRSWEEP_SLURM_PARTITION?.trim()) settings.partition = env.FAIRSWEEP_SLURM_PARTITION.trim();
  if (env.FAIRSWEEP_SLURM_CONF?.trim()) settings.slurmConf = env.FAIRSWEEP_SLURM_CONF.trim();
  if (env.FAIRSWEEP_SLURM_SBATCH_ARGS?.trim()) settings.sbatchArgs = env.FAIRSWEEP_SLURM_SBATCH_ARGS.trim().split(/\s+/);
  const poll = env.FAIRSWEEP_SLURM_POLL_MS;
  if (poll !== undefined && poll.trim() !== '') {
    const n = Number(poll);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`FAIRSWEEP_SLURM_POLL_MS must be an integer > 0, got "${poll}"`);
    settings.pollIntervalMs = n;
  }
  if (Object.keys(settings.accounts).length === 0 && !settings.accountTemplate) {
    throw new Error('FAIRSWEEP_EXECUTOR=slurm needs a Slurm account per tenant: set FAIRSWEEP_SLURM_ACCOUNTS (tenant=account,…) and/or FAIRSWEEP_SLURM_ACCOUNT_TEMPLATE (e.g. fs-{tenant})');
  }
  return settings;
}

/** The Slurm account for a tenant; throws a reason naming the tenant and the settings when there is none. */
export function slurmAccountFor(settings: SlurmExecutorSettings, tenant: string): string {
  const mapped = settings.accounts[tenant];
  if (mapped) return mapped;
  if (settings.accountTemplate) return settings.accountTemplate.replaceAll('{tenant}', tenant);
  throw new Error(`no Slurm account for tenant "${tenant}": add it to FAIRSWEEP_SLURM_ACCOUNTS (tenant=account) or set FAIRSWEEP_SLURM_ACCOUNT_TEMPLATE`);
}

/** The QOS for a priority class, or undefined (the association's default QOS). */
export function slurmQosFor(settings: SlurmExecutorSettings, priority: string): string | undefined {
  return settings.qos[priority] ?? settings.qosTemplate?.replaceAll('{priority}', priority);
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const isLabelValue = (s: string) => s.length <= 63 && LABEL_VALUE.test(s);
const isLabelKey = (key: string) => {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? '' : key.slice(0, slash);
  const name = key.slice(slash + 1);
  return name !== '' && isLabelValue(name) && (slash < 0 || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix)));
};

/**
 * FAIRSWEEP_EXECUTOR=kubernetes: FAIRSWEEP_K8S_IMAGE (required), FAIRSWEEP_K8S_IMAGE_PULL_POLICY,
 * FAIRSWEEP_K8S_KUBECONFIG (a path, or "in-cluster"), FAIRSWEEP_K8S_CONTEXT, FAIRSWEEP_K8S_API_SERVER (URL),
 * FAIRSWEEP_K8S_NAMESPACE (template with {tenant}), FAIRSWEEP_K8S_INSTANCE, FAIRSWEEP_K8S_KUEUE_QUEUE and
 * FAIRSWEEP_K8S_KUEUE_PRIORITY_CLASS (templates with {tenant}/{priority}), FAIRSWEEP_K8S_PRIORITY_CLASSES
 * (priority=PriorityClass,…), FAIRSWEEP_K8S_PRIORITY_CLASS_TEMPLATE ({priority}), FAIRSWEEP_K8S_SERVICE_ACCOUNT,
 * FAIRSWEEP_K8S_NODE_SELECTOR (key=value,…), FAIRSWEEP_K8S_TOLERATIONS (JSON array), FAIRSWEEP_K8S_GPU_RESOURCE,
 * FAIRSWEEP_K8S_CPU_LIMITS (on|off), FAIRSWEEP_K8S_TERMINATION_GRACE_SECONDS, FAIRSWEEP_K8S_TTL_SECONDS (or "off"),
 * FAIRSWEEP_K8S_PROPAGATION_POLICY (Foreground|Background), FAIRSWEEP_K8S_POLL_MS, FAIRSWEEP_K8S_RESYNC_MS.
 */
export function kubernetesSettingsFromEnv(env: NodeJS.ProcessEnv): KubernetesExecutorSettings {
  const get = (variable: string) => env[variable]?.trim() || undefined;
  const bad = (variable: string, raw: string, allowed: string) => new Error(`${variable} must be ${allowed}, got "${raw}"`);
  const oneOf = <T extends string>(variable: string, values: readonly T[]): T | undefined => {
    const raw = get(variable);
    if (raw !== undefined && !values.includes(raw as T)) throw bad(variable, raw, values.map((v) => `"${v}"`).join(' or '));
    return raw as T | undefined;
  };
  const integer = (variable: string, min: number): number | undefined => {
    const raw = get(variable);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw bad(variable, raw, `an integer >= ${min}`);
    return n;
  };
  /** A name template: placeholders replaced by sample values must give a valid name. */
  const template = (variable: string, placeholders: string[], valid: (s: string) => boolean, what: string, required?: string) => {
    const raw = get(variable);
    if (raw === undefined) return undefined;
    if (required && !raw.includes(required)) throw bad(variable, raw, `a template containing ${required}`);
    const sample = placeholders.reduce((s, p) => s.replaceAll(p, 'x'), raw);
    if (/[{}]/.test(sample) || !valid(sample)) throw bad(variable, raw, `${what} (placeholders: ${placeholders.join(', ')})`);
    return raw;
  };

  const image = get('FAIRSWEEP_K8S_IMAGE');
  if (!image) throw new Error('FAIRSWEEP_EXECUTOR=kubernetes needs FAIRSWEEP_K8S_IMAGE: the container image trials run in (e.g. ghcr.io/acme/trainer:2024-06)');
  if (/\s/.test(image)) throw bad('FAIRSWEEP_K8S_IMAGE', image, 'an image reference without spaces');
  const settings: KubernetesExecutorSettings = {
    kind: 'kubernetes', image,
    priorityClasses: parseMapping(env.FAIRSWEEP_K8S_PRIORITY_CLASSES, 'FAIRSWEEP_K8S_PRIORITY_CLASSES', PRIORITY_CLASSES),
  };
  const set = <K extends keyof KubernetesExecutorSettings>(key: K, value: KubernetesExecutorSettings[K] | undefined) => {
    if (value !== undefined) settings[key] = value;
  };
  set('imagePullPolicy', oneOf('FAIRSWEEP_K8S_IMAGE_PULL_POLICY', ['Always', 'IfNotPresent', 'Never'] as const));
  set('kubeconfig', get('FAIRSWEEP_K8S_KUBECONFIG'));
  if (settings.kubeconfig === 'in-cluster' && !(env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT)) {
    throw new Error('FAIRSWEEP_K8S_KUBECONFIG=in-cluster, but KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT are not set: compute is not running in a pod; give a kubeconfig path instead');
  }
  set('context', get('FAIRSWEEP_K8S_CONTEXT'));
  if (settings.context && (!settings.kubeconfig || settings.kubeconfig === 'in-cluster')) {
    throw new Error('FAIRSWEEP_K8S_CONTEXT needs FAIRSWEEP_K8S_KUBECONFIG set to a kubeconfig file');
  }
  const apiServer = get('FAIRSWEEP_K8S_API_SERVER');
  if (apiServer !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(apiServer);
    } catch { /* reported below */ }
    if (!url || !['http:', 'https:'].includes(url.protocol)) throw bad('FAIRSWEEP_K8S_API_SERVER', apiServer, 'an http:// or https:// URL of the API server');
    settings.apiServer = apiServer.replace(/\/+$/, '');
  }
  set('namespace', template('FAIRSWEEP_K8S_NAMESPACE', ['{tenant}'], (s) => s.length <= 63 && DNS_LABEL.test(s), 'a namespace name (lower-case letters, digits, "-")', '{tenant}'));
  const instance = get('FAIRSWEEP_K8S_INSTANCE');
  if (instance !== undefined && !isLabelValue(instance)) throw bad('FAIRSWEEP_K8S_INSTANCE', instance, 'a label value (at most 63 letters, digits, "-", "_", ".")');
  set('instance', instance);
  const kueueName = 'a label value (at most 63 letters, digits, "-", "_", ".")';
  set('kueueQueue', template('FAIRSWEEP_K8S_KUEUE_QUEUE', ['{tenant}', '{priority}'], isLabelValue, kueueName));
  set('kueuePriorityClass', template('FAIRSWEEP_K8S_KUEUE_PRIORITY_CLASS', ['{tenant}', '{priority}'], isLabelValue, kueueName));
  if (settings.kueuePriorityClass && !settings.kueueQueue) throw new Error('FAIRSWEEP_K8S_KUEUE_PRIORITY_CLASS needs FAIRSWEEP_K8S_KUEUE_QUEUE (the Kueue LocalQueue)');
  const subdomain = (s: string) => s.length <= 253 && DNS_SUBDOMAIN.test(s);
  for (const [priority, name] of Object.entries(settings.priorityClasses)) {
    if (!subdomain(name)) throw new Error(`FAIRSWEEP_K8S_PRIORITY_CLASSES: "${name}" (for ${priority}) is not a PriorityClass name (lower-case letters, digits, "-", ".")`);
  }
  set('priorityClassTemplate', template('FAIRSWEEP_K8S_PRIORITY_CLASS_TEMPLATE', ['{priority}'], subdomain, 'a PriorityClass name (lower-case letters, digits, "-", ".")', '{priority}'));
  const serviceAccount = get('FAIRSWEEP_K8S_SERVICE_ACCOUNT');
  if (serviceAccount !== undefined && !subdomain(serviceAccount)) throw bad('FAIRSWEEP_K8S_SERVICE_ACCOUNT', serviceAccount, 'a service account name (lower-case letters, digits, "-", ".")');
  set('serviceAccountName', serviceAccount);
  const selector = get('FAIRSWEEP_K8S_NODE_SELECTOR');
  if (selector !== undefined) {
    settings.nodeSelector = {};
    for (const entry of selector.split(',').map((s) => s.trim()).filter(Boolean)) {
      const eq = entry.indexOf('=');
      const [key, value] = [entry.slice(0, eq).trim(), entry.slice(eq + 1).trim()];
      if (eq <= 0 || !isLabelKey(key) || !isLabelValue(value)) {
        throw new Error(`FAIRSWEEP_K8S_NODE_SELECTOR: "${entry}" is not label-key=value; example: FAIRSWEEP_K8S_NODE_SELECTOR=nvidia.com/gpu.product=NVIDIA-A100-SXM4-80GB`);
      }
      if (key in settings.nodeSelector) throw new Error(`FAIRSWEEP_K8S_NODE_SELECTOR: "${key}" is given twice`);
      settings.nodeSelector[key] = value;
    }
  }
  const tolerations = get('FAIRSWEEP_K8S_TOLERATIONS');
  if (tolerations !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(tolerations);
    } catch { /* reported below */ }
    if (!Array.isArray(parsed) || !parsed.every((t) => t !== null && typeof t === 'object' && !Array.isArray(t))) {
      throw bad('FAIRSWEEP_K8S_TOLERATIONS', tolerations, 'a JSON array of tolerations, e.g. [{"key":"nvidia.com/gpu","operator":"Exists","effect":"NoSchedule"}]');
    }
    settings.tolerations = parsed as Array<Record<string, unknown>>;
  }
  const gpuResource = get('FAIRSWEEP_K8S_GPU_RESOURCE');
  if (gpuResource !== undefined && (!gpuResource.includes('/') || !isLabelKey(gpuResource))) {
    throw bad('FAIRSWEEP_K8S_GPU_RESOURCE', gpuResource, 'an extended resource name such as nvidia.com/gpu');
  }
  set('gpuResource', gpuResource);
  const cpuLimits = oneOf('FAIRSWEEP_K8S_CPU_LIMITS', ['on', 'off'] as const);
  if (cpuLimits !== undefined) settings.cpuLimits = cpuLimits === 'on';
  set('terminationGraceSeconds', integer('FAIRSWEEP_K8S_TERMINATION_GRACE_SECONDS', 0));
  set('ttlSecondsAfterFinished', get('FAIRSWEEP_K8S_TTL_SECONDS') === 'off' ? null : integer('FAIRSWEEP_K8S_TTL_SECONDS', 0));
  set('propagationPolicy', oneOf('FAIRSWEEP_K8S_PROPAGATION_POLICY', ['Foreground', 'Background'] as const));
  set('pollIntervalMs', integer('FAIRSWEEP_K8S_POLL_MS', 1));
  set('resyncIntervalMs', integer('FAIRSWEEP_K8S_RESYNC_MS', 1));
  return settings;
}

/** The pod priorityClassName for a Fairsweep priority class, or undefined (the cluster default). */
export function kubernetesPriorityClassFor(settings: KubernetesExecutorSettings, priority: string): string | undefined {
  return settings.priorityClasses[priority] ?? settings.priorityClassTemplate?.replaceAll('{priority}', priority);
}
