import { deadlineAt, type ExperimentSpec } from '@fairsweep/sdk';

/**
 * Experiment-level budgets (`budget.gpuHours`, `budget.deadline`), enforced by experiments when it
 * creates trials: once either is spent, no new trial is created (running ones finish) and the
 * reason is recorded on the experiment. Compute's own GPU-hour budgets (invariant 2, admission)
 * are separate and remain the hard guarantee per tenant and project.
 */

export interface TrialUsage {
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** GPU-hours used: each started trial's duration (so far, for a running one) × the spec's gpus. */
export function gpuHoursUsed(trials: readonly TrialUsage[], gpus: number, now: Date): number {
  let seconds = 0;
  for (const t of trials) {
    if (!t.startedAt) continue;
    const end = t.finishedAt ?? now;
    seconds += Math.max(0, end.getTime() - t.startedAt.getTime()) / 1000;
  }
  return (seconds * gpus) / 3600;
}

/** Why no more trials may be created, or null while the budget lasts. */
export function budgetStopReason(
  budget: ExperimentSpec['budget'],
  gpus: number,
  trials: readonly TrialUsage[],
  submittedAt: Date,
  now: Date,
): string | null {
  const deadline = deadlineAt(budget.deadline, submittedAt);
  if (deadline && now.getTime() >= deadline.getTime()) {
    return `deadline ${deadline.toISOString()} passed (budget.deadline ${budget.deadline}); no new trials after it`;
  }
  if (budget.gpuHours !== undefined) {
    const used = gpuHoursUsed(trials, gpus, now);
    if (used >= budget.gpuHours) {
      return `GPU-hour budget spent: ${round(used)} of ${budget.gpuHours} GPU-hours used (trial durations × ${gpus} GPUs); no new trials`;
    }
  }
  return null;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
