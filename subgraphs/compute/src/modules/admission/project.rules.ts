/**
 * Per-project hard limits inside a tenant (pure). A run of a project is admitted only if it also
 * fits what is left of its project's limits; a null limit means none on that resource. Usage
 * counts the project's active allocations in every pool, like the tenant's.
 */
import { DIMENSIONS, exceeds, fmt } from './admission.rules.js';
import type { ActiveAllocation, ProjectQuota, QueuedRun, ResourceRequest } from './admission.types.js';

interface Usage extends ResourceRequest {
  trials: number;
}

export const projectKey = (tenant: string, project: string): string => `${tenant}/${project}`;

/** Each project's usage during one admission decision, and the reasons a run must wait for its project. */
export class ProjectLedger {
  private readonly used = new Map<string, Usage>();

  constructor(private readonly quotas: ReadonlyMap<string, ProjectQuota> | undefined, allocations: readonly ActiveAllocation[]) {
    for (const a of allocations) if (a.project) this.add(projectKey(a.tenant, a.project), a);
  }

  /** The project limits that apply to `run`, or undefined (no project, or no limits set). */
  quotaOf(run: QueuedRun): ProjectQuota | undefined {
    return run.project ? this.quotas?.get(projectKey(run.tenant, run.project)) : undefined;
  }

  usageOf(tenant: string, project: string): Usage {
    return this.used.get(projectKey(tenant, project)) ?? { cpus: 0, gpus: 0, memoryMb: 0, trials: 0 };
  }

  /**
   * Why `run` cannot start within its project's limits now, with the numbers, e.g.
   * `project quota: gpus requested 2, project vision has 1 of 4 left (v3)`; [] when it fits.
   * A request above the limit itself waits (it is not failed): the limit may be raised.
   */
  reasons(run: QueuedRun): string[] {
    const q = this.quotaOf(run);
    if (!q || !run.project) return [];
    const used = this.usageOf(run.tenant, run.project);
    const out: string[] = [];
    if (q.concurrentTrials != null && used.trials + 1 > q.concurrentTrials) {
      out.push(`project quota: concurrentTrials ${used.trials}/${q.concurrentTrials} in use in project ${run.project} (v${q.version})`);
    }
    for (const d of DIMENSIONS) {
      const limit = q[d.key];
      if (limit == null || !exceeds(used[d.key], run[d.key], limit)) continue;
      out.push(exceeds(0, run[d.key], limit)
        ? `project quota: ${d.label} requested ${fmt(run[d.key])}${d.unit}, project ${run.project} allows ${fmt(limit)}${d.unit} (v${q.version}); waits until the limit is raised`
        : `project quota: ${d.label} requested ${fmt(run[d.key])}${d.unit}, project ${run.project} has ${fmt(Math.max(0, limit - used[d.key]))}${d.unit} of ${fmt(limit)}${d.unit} left (v${q.version})`);
    }
    return out;
  }

  admit(run: QueuedRun): void {
    if (run.project) this.add(projectKey(run.tenant, run.project), run);
  }

  private add(key: string, r: ResourceRequest): void {
    const u = this.used.get(key) ?? { cpus: 0, gpus: 0, memoryMb: 0, trials: 0 };
    u.cpus += r.cpus;
    u.gpus += r.gpus;
    u.memoryMb += r.memoryMb;
    u.trials += 1;
    this.used.set(key, u);
  }
}
