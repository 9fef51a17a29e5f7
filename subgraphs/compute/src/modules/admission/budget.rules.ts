/**
 * GPU-hour budget rules (pure). A run needs `gpus × maxRuntimeSeconds / 3600` GPU-hours at most.
 * Safe mode (the default) admits a GPU run only if that worst case fits in budget − consumed −
 * committed (what running attempts may still use), so the budget can never be overrun as long
 * as executors enforce maxRuntimeSeconds. Without safe mode, GPU runs start while anything is left.
 */
import { fmt } from './admission.rules.js';
import type { BudgetState, QueuedRun, TenantQuota } from './admission.types.js';

export function worstCaseGpuHours(run: Pick<QueuedRun, 'gpus' | 'maxRuntimeSeconds'>): number | null {
  if (run.gpus <= 0) return 0;
  return run.maxRuntimeSeconds == null ? null : (run.gpus * run.maxRuntimeSeconds) / 3600;
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
    return `needs up to ${fmt(need)} GPU-hours (${run.gpus} GPUs × ${run.maxRuntimeSeconds} s); tenant ${run.tenant} budget (quota v${quota.version}) is ${fmt(budget)} GPU-hours per period`;
  }
  return null;
}

/** Why a run must wait for budget now, or null; `state` already counts runs admitted this cycle. */
export function budgetWaitReason(run: QueuedRun, quota: TenantQuota, state: BudgetState): string | null {
  const budget = quota.gpuHoursBudget;
  if (budget == null || run.gpus <= 0) return null;
  const prefix = `tenant ${run.tenant} GPU-hour budget:`;
  if (quota.budgetSafeMode === false) {
    return state.consumedGpuHours >= budget ? `${prefix} ${fmt(state.consumedGpuHours)}/${fmt(budget)} used this period` : null;
  }
  const need = worstCaseGpuHours(run) ?? Infinity;
  const left = budget - state.consumedGpuHours - state.committedGpuHours;
  if (need <= left + 1e-9) return null;
  return `${prefix} ${fmt(state.consumedGpuHours)}/${fmt(budget)} used, ${fmt(state.committedGpuHours)} committed to running trials, ${fmt(need)} requested (safe mode)`;
}
