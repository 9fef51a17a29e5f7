/** Which executor runs a pool's trials, and its options: plain data, read from the environment. */
export type ExecutorSettings = LocalExecutorSettings | SlurmExecutorSettings;

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
 * FAIRSWEEP_EXECUTOR (local | slurm, default local) and its options:
 * - local: FAIRSWEEP_CGROUP_PARENT (a path, or "off"), FAIRSWEEP_NVIDIA_SMI (a path, or "off");
 * - slurm: FAIRSWEEP_SLURM_PARTITION, FAIRSWEEP_SLURM_ACCOUNTS (tenant=account,…),
 *   FAIRSWEEP_SLURM_ACCOUNT_TEMPLATE (e.g. fs-{tenant}), FAIRSWEEP_SLURM_QOS (priority=qos,…),
 *   FAIRSWEEP_SLURM_QOS_TEMPLATE (e.g. fs-{priority}), FAIRSWEEP_SLURM_CONF, FAIRSWEEP_SLURM_POLL_MS,
 *   FAIRSWEEP_SLURM_SBATCH_ARGS (space-separated).
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
  if (kind !== 'slurm') throw new Error(`FAIRSWEEP_EXECUTOR must be "local" or "slurm", got "${kind}"`);
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
