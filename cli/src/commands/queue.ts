import { connection, CliError, defaultTenant, request } from '../client.js';

/** One queued trial as the queue query returns it. */
export interface QueuedTrialView {
  position: number;
  trialId: string;
  experimentId: string;
  trialIndex: number;
  priority: string;
  cpus: number;
  gpus: number;
  memoryMb: number;
  enqueuedAt: string;
  pendingReason: string | null;
  estimatedStartAt: string | null;
  estimatedStartReason: string | null;
  /** The reason cause by cause with codes and numbers (printed by --json). */
  pendingDetails?: { code: string; resource: string | null; requested: number | null; available: number | null; inUse: number | null; limit: number | null }[];
}

export interface QueueView {
  tenant: {
    slug: string;
    usage: { cpus: number; gpus: number; memoryMb: number; runningTrials: number; queuedTrials: number } | null;
    remaining: { quotaVersion: number; cpus: number; gpus: number; memoryMb: number; concurrentTrials: number } | null;
    budget: { remainingGpuHours: number; gpuHours: number } | null;
  } | null;
  queue: QueuedTrialView[];
}

const QUERY = `query($t: String!) {
  tenant(slug: $t) {
    slug usage { cpus gpus memoryMb runningTrials queuedTrials }
    remaining { quotaVersion cpus gpus memoryMb concurrentTrials }
    budget { remainingGpuHours gpuHours }
  }
  queue(tenant: $t) { position trialId experimentId trialIndex priority cpus gpus memoryMb enqueuedAt pendingReason pendingDetails { code resource requested available inUse limit } estimatedStartAt estimatedStartReason }
}`;

/** `fairsweep queue`: the tenant's queued trials with position, pending reason and estimated start. */
export async function queueCommand(opts: { url?: string; token?: string; tenant?: string; json?: boolean; limit?: string }): Promise<void> {
  const conn = connection(opts);
  const tenant = opts.tenant ?? defaultTenant(conn.token);
  const limit = opts.limit === undefined ? 50 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new CliError(`--limit must be a whole number >= 1, got "${opts.limit}"`);
  const data = await request<QueueView>(conn, QUERY, { t: tenant });
  if (!data.tenant) throw new CliError(`tenant ${tenant} not found (or not visible to this token)`);
  if (opts.json) {
    process.stdout.write(JSON.stringify(data, null, 2) + '\n');
    return;
  }
  process.stdout.write(describeQueue(data, new Date(), limit) + '\n');
}

/** A duration in words a person reads at a glance: 45 s, 3 min 20 s, 2 h 5 min, 3 d 4 h. */
export function duration(sec: number): string {
  const s = Math.max(0, Math.round(sec));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  if (s < 86400) return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ''}`;
  return `${Math.floor(s / 86400)} d${Math.floor((s % 86400) / 3600) ? ` ${Math.floor((s % 86400) / 3600)} h` : ''}`;
}

const resources = (t: { cpus: number; gpus: number; memoryMb: number }) => `${t.cpus} CPU${t.cpus === 1 ? '' : 's'}, ${t.gpus} GPU${t.gpus === 1 ? '' : 's'}, ${t.memoryMb} MB`;

/** The queue as a table: position, trial, priority, resources, how long it has waited, when it is expected to start, and why it waits. */
export function describeQueue(v: QueueView, now: Date, limit = 50): string {
  const t = v.tenant!;
  const lines: string[] = [];
  const u = t.usage;
  lines.push(`tenant ${t.slug}: ${u ? `${u.runningTrials} running (${resources(u)}), ${u.queuedTrials} queued` : 'no usage known yet'}`);
  const r = t.remaining;
  lines.push(r
    ? `remaining quota (policy v${r.quotaVersion}): ${resources(r)}, ${r.concurrentTrials} more trial${r.concurrentTrials === 1 ? '' : 's'} at once`
    : 'remaining quota: none known yet (compute has not received the tenant\'s quota)');
  if (t.budget) lines.push(`GPU-hour budget: ${+t.budget.remainingGpuHours.toFixed(2)} of ${+t.budget.gpuHours.toFixed(2)} left`);
  if (v.queue.length === 0) {
    lines.push('', 'nothing queued');
    return lines.join('\n');
  }
  lines.push('', 'pos  trial          priority     waiting        starts         why');
  for (const q of v.queue.slice(0, limit)) {
    const waited = duration((now.getTime() - Date.parse(q.enqueuedAt)) / 1000);
    const starts = q.estimatedStartAt === null
      ? 'unknown'
      : Date.parse(q.estimatedStartAt) <= now.getTime() ? 'next cycle' : `in ${duration((Date.parse(q.estimatedStartAt) - now.getTime()) / 1000)}`;
    const why = [q.pendingReason ?? 'not yet seen by an admission cycle', q.estimatedStartAt === null && q.estimatedStartReason ? `(no estimate: ${q.estimatedStartReason})` : '']
      .filter(Boolean).join(' ');
    lines.push(`${String(q.position).padEnd(4)} ${`${q.experimentId.slice(0, 8)}#${q.trialIndex}`.padEnd(14)} ${q.priority.padEnd(12)} ${waited.padEnd(14)} ${starts.padEnd(14)} ${why}`);
  }
  if (v.queue.length > limit) lines.push(`… and ${v.queue.length - limit} more (--limit ${v.queue.length} shows all, --json gives every field)`);
  return lines.join('\n');
}
