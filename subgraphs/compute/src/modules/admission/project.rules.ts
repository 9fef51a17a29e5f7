/**
 * Per-project hard limits and GPU-hour budgets inside a tenant (pure). A run of a project is
 * admitted only if it also fits what is left of its project's limits (a null limit means none on
 * that resource) and of its project's GPU-hour budget (budget.rules.ts, on top of the tenant's).
 * Usage counts the project's active allocations in every pool, like the tenant's.
 */
import { DIMENSIONS, exceeds, fmt } from './admission.rules.js';
import { commitRun, projectBudgetWaitReason } from './budget.rules.js';
import type { ActiveAllocation, BudgetState, ProjectQuota, QueuedRun, ResourceRequest } from './admission.types.js';

interface Usage extends ResourceRequest {
  trials: number;
}

export const projectKey = (tenant: string, project: string): string => `${tenant}/${project}`;

/** Each project's usage during one admission decision, and the reasons a run must wait for its project. */
export class ProjectLedger {
  private readonly used = new Map<string, Usage>();
  private readonly budgets = new Map<string, BudgetState>();

  /** `budgets`: GPU-hour accounts of the projects with a budget, keyed like `quotas` (absent: nothing used yet). */
  constructor(
    private readonly quotas: ReadonlyMap<string, ProjectQuota> | undefined,
    allocations: readonly ActiveAllocation[],
    budgets?: ReadonlyMap<string, BudgetState>,
  ) {
    for (const a of allocations) if (a.project) this.add(projectKey(a.tenant, a.project), a);
    for (const [key, b] of budgets ?? []) this.budgets.set(key, { ...b });
  }

  /** The project limits that apply to `run`, or undefined (no project, or no limits set). */
  quotaOf(run: QueuedRun): ProjectQuota | undefined {
    return run.project ? this.quotas?.get(projectKey(run.tenant, run.project)) : undefined;
  }

  usageOf(tenant: string, project: string): Usage {
    return this.used.get(projectKey(tenant, project)) ?? { cpus: 0, gpus: 0, memoryMb: 0, trials: 0 };
  }

  /** The project's GPU-hour account, counting runs admitted so far in this decision. */
  budgetOf(tenant: string, project: string): BudgetState {
    return this.budgets.get(projectKey(tenant, project)) ?? { consumedGpuHours: 0, committedGpuHours: 0 };
  }

  /**
   * Why `run` cannot start within its project's limits and budget now, with the numbers, e.g.
   * `project quota: gpus requested 2, project vision has 1 of 4 left (v3)` or a
   * `PROJECT_GPU_BUDGET_…` reason (budget.rules.ts); [] when it fits. A request above the limit or
   * budget itself waits (it is not failed): the policy may be raised.
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
    const budget = projectBudgetWaitReason(run, run.project, q, this.budgetOf(run.tenant, run.project));
    if (budget) out.push(budget);
    return out;
  }

  admit(run: QueuedRun): void {
    if (!run.project) return;
    const key = projectKey(run.tenant, run.project);
    this.add(key, run);
    if (this.quotaOf(run)?.gpuHoursBudget != null) this.budgets.set(key, commitRun(this.budgetOf(run.tenant, run.project), run));
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
