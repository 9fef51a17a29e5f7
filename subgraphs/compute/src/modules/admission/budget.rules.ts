/**
 * GPU-hour budget rules (pure), for tenant and project budgets alike. A run needs
 * `gpus × maxRuntimeSeconds / 3600` GPU-hours at most. Safe mode (the default) admits a GPU run
 * only if that worst case fits in budget − consumed − committed (what running attempts may still
 * use), so the budget can never be overrun as long as executors enforce maxRuntimeSeconds.
 * Without safe mode, GPU runs start while anything is left. A run of a project with a budget must
 * pass both its tenant's budget and its project's (project.rules.ts applies the latter).
 */
import { fmt } from './admission.rules.js';
import type { BudgetState, ProjectQuota, QueuedRun, TenantQuota } from './admission.types.js';

/** The budget part of a policy version (a tenant quota or a project quota). */
export type BudgetPolicy = Pick<TenantQuota | ProjectQuota, 'version' | 'gpuHoursBudget' | 'budgetSafeMode' | 'budgetHalfLifeHours'>;

/** How a budget's window reads in a reason: "per period", or the decay half-life. */
function windowText(policy: BudgetPolicy): { per: string; recovers: string; used: string } {
  const h = policy.budgetHalfLifeHours;
  if (h == null) return { per: 'per period', recovers: 'the budget period resets', used: 'used this period' };
  return { per: `of decayed use (half-life ${fmt(h)} h)`, recovers: 'decayed use falls below the budget', used: `used (decayed, half-life ${fmt(h)} h)` };
}

/** Why a budget holds a run back, with the numbers (GPU-hours). */
export interface BudgetShortfall {
  /**
   * spent: not in safe mode, and consumption reached the budget; insufficient: safe mode, and the
   * run's worst case exceeds what is left; exceeds-budget: safe mode, and it exceeds the whole
   * budget of a period; unbounded: safe mode, and the run has no maximum runtime.
   */
  kind: 'spent' | 'insufficient' | 'exceeds-budget' | 'unbounded';
  budget: number;
  consumed: number;
  committed: number;
  /** The run's worst case; null when it has no maximum runtime. */
  requested: number | null;
  /** What is left for new runs: budget − consumed (− committed in safe mode), never below 0. */
  remaining: number;
  safeMode: boolean;
}

export function worstCaseGpuHours(run: Pick<QueuedRun, 'gpus' | 'maxRuntimeSeconds'>): number | null {
  if (run.gpus <= 0) return 0;
  return run.maxRuntimeSeconds == null ? null : (run.gpus * run.maxRuntimeSeconds) / 3600;
}

/** Whether `policy`'s budget lets `run` start now, given `state` (which counts runs admitted this cycle); null: it does. */
export function budgetShortfall(run: QueuedRun, policy: BudgetPolicy, state: BudgetState): BudgetShortfall | null {
  const budget = policy.gpuHoursBudget;
  if (budget == null || run.gpus <= 0) return null;
  const safeMode = policy.budgetSafeMode !== false;
  const { consumedGpuHours: consumed, committedGpuHours: committed } = state;
  const requested = worstCaseGpuHours(run);
  const left = safeMode ? budget - consumed - committed : budget - consumed;
  const numbers = { budget, consumed, committed, requested, remaining: Math.max(0, left), safeMode };
  if (!safeMode) return consumed >= budget ? { kind: 'spent', ...numbers } : null;
  if (requested === null) return { kind: 'unbounded', ...numbers };
  if (requested <= left + 1e-9) return null;
  return { kind: requested > budget + 1e-9 ? 'exceeds-budget' : 'insufficient', ...numbers };
}

/** Tracks the GPU-hours committed by runs admitted during one decision. */
export function commitRun(state: BudgetState, run: Pick<QueuedRun, 'gpus' | 'maxRuntimeSeconds'>): BudgetState {
  return { ...state, committedGpuHours: state.committedGpuHours + (worstCaseGpuHours(run) ?? 0) };
}

/** Why a run can never start under the tenant's budget, or null. */
export function budgetNeverFits(run: QueuedRun, quota: TenantQuota): string | null {
  const budget = quota.gpuHoursBudget;
  if (budget == null || run.gpus <= 0 || quota.budgetSafeMode === false) return null;
  const need = worstCaseGpuHours(run);
  if (need === null) {
    return `tenant ${run.tenant} has a GPU-hour budget in safe mode (quota v${quota.version}): a GPU trial needs trial.maxRuntimeSeconds`;
  }
  if (need > budget + 1e-9) {
    return `needs up to ${fmt(need)} GPU-hours (${run.gpus} GPUs × ${run.maxRuntimeSeconds} s); tenant ${run.tenant} budget (quota v${quota.version}) is ${fmt(budget)} GPU-hours ${windowText(quota).per}`;
  }
  return null;
}

/** Why a run must wait for its tenant's budget now, or null; `state` already counts runs admitted this cycle. */
export function budgetWaitReason(run: QueuedRun, quota: TenantQuota, state: BudgetState): string | null {
  const s = budgetShortfall(run, quota, state);
  if (!s) return null;
  const prefix = `tenant ${run.tenant} GPU-hour budget:`;
  if (s.kind === 'spent') return `${prefix} ${fmt(s.consumed)}/${fmt(s.budget)} ${windowText(quota).used}`;
  return `${prefix} ${fmt(s.consumed)}/${fmt(s.budget)} used, ${fmt(s.committed)} committed to running trials, ${fmt(s.requested ?? Infinity)} requested (safe mode)`;
}

/** The code that starts a project budget wait reason, per kind of shortfall. */
export const PROJECT_BUDGET_CODES = {
  spent: 'PROJECT_GPU_BUDGET_SPENT',
  insufficient: 'PROJECT_GPU_BUDGET_INSUFFICIENT',
  'exceeds-budget': 'PROJECT_GPU_BUDGET_TOO_SMALL',
  unbounded: 'PROJECT_GPU_BUDGET_NEEDS_MAX_RUNTIME',
} as const satisfies Record<BudgetShortfall['kind'], string>;

function projectBudgetHint(kind: BudgetShortfall['kind'], quota: ProjectQuota): string {
  switch (kind) {
    case 'spent': return `; no GPU trial of the project starts until ${windowText(quota).recovers}`;
    case 'insufficient': return '';
    case 'exceeds-budget': return `; more than the whole budget${quota.budgetHalfLifeHours == null ? ' of a period' : ''}: waits until it is raised`;
    case 'unbounded': return '; waits until the project budget leaves safe mode or is removed';
  }
}

/**
 * Why a run must wait for its project's budget now, or null. The reason starts with a code
 * (PROJECT_BUDGET_CODES) and names the project, the policy version, the GPU-hours requested and
 * remaining, e.g. `PROJECT_GPU_BUDGET_INSUFFICIENT: project vision GPU-hour budget (v2, safe mode):
 * requested 0.5 GPU-hours, remaining 0.1 of 1 (0.7 used, 0.2 committed to running trials)`. Like
 * project limits, a run the budget can never admit waits rather than fails: the budget may change.
 */
export function projectBudgetWaitReason(run: QueuedRun, project: string, quota: ProjectQuota, state: BudgetState): string | null {
  const s = budgetShortfall(run, quota, state);
  if (!s) return null;
  const requested = s.requested === null ? 'unbounded (no trial.maxRuntimeSeconds)' : `${fmt(s.requested)} GPU-hours`;
  return `${PROJECT_BUDGET_CODES[s.kind]}: project ${project} GPU-hour budget (v${quota.version}${s.safeMode ? ', safe mode' : ''}): `
    + `requested ${requested}, remaining ${fmt(s.remaining)} of ${fmt(s.budget)} (${fmt(s.consumed)} used, ${fmt(s.committed)} committed to running trials)`
    + projectBudgetHint(s.kind, quota);
}
