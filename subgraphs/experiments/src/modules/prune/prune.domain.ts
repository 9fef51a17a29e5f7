import { createHash } from 'node:crypto';
import { canonicalJson, type ObjectiveDirection, type Pruner, type PruneContext, type PruneDecision, type TrialCurve } from '@fairsweep/sdk';

/**
 * Pruning decisions as a pure function of the record. Both the live path (a metric arrives) and
 * replay build the pruner's context with `buildPruneContext` from the same inputs: the
 * experiment's objective reports with a step, in the order the platform recorded them (metric row
 * id), the prune decisions made before, and the terminal states of the trials at that moment.
 */

/** One intermediate value of the objective metric as recorded (`trial_metric` row). */
export interface ObjectiveReport {
  metricId: number;
  trialIndex: number;
  step: number;
  value: number;
}

export type CurveState = TrialCurve['state'];

/** What a decision was made on, besides the reports (stored with it as `inputs`). */
export interface PruneInputs {
  /** The report that triggered it: the history holds every report up to this one. */
  throughMetricId: number;
  /** States of the trials in the history that had ended (or been pruned) by then, by trial index. */
  states: Record<string, Exclude<CurveState, 'running'>>;
  /** Values in the history. */
  reports: number;
}

export interface BuiltContext {
  ctx: PruneContext;
  inputs: PruneInputs;
  /** SHA-256 of the canonical JSON of the context: what replay compares. */
  digest: string;
}

/**
 * The pruner's context for `current`, or null when that report is not evaluated: its step is not
 * greater than the last step the trial reported (a restarted attempt repeating steps), or the
 * trial was already pruned. Rules, applied to reports in record order:
 * - a trial's curve holds its reports with increasing steps (others are skipped);
 * - a pruned trial's curve ends at the report it was pruned on;
 * - curves are ordered by their first report; a curve's state is the trial's terminal state when
 *   it has ended (cancelled counts as failed), `pruned` once a prune was decided, else running.
 */
export function buildPruneContext(
  reports: readonly ObjectiveReport[],
  current: ObjectiveReport,
  prunedAt: ReadonlyMap<number, number>,
  terminal: ReadonlyMap<number, string>,
  direction: ObjectiveDirection,
): BuiltContext | null {
  const curves = new Map<number, { trialIndex: number; state: CurveState; values: { step: number; value: number }[] }>();
  let accepted = false;
  let count = 0;
  for (const r of reports) {
    if (r.metricId > current.metricId) break;
    const cut = prunedAt.get(r.trialIndex);
    if (cut !== undefined && r.metricId > cut) continue;
    let curve = curves.get(r.trialIndex);
    if (!curve) curves.set(r.trialIndex, (curve = { trialIndex: r.trialIndex, state: 'running', values: [] }));
    const last = curve.values[curve.values.length - 1];
    if (last && r.step <= last.step) continue;
    curve.values.push({ step: r.step, value: r.value });
    count += 1;
    if (r.metricId === current.metricId) accepted = true;
  }
  if (!accepted) return null;
  const states: PruneInputs['states'] = {};
  for (const curve of curves.values()) {
    const t = terminal.get(curve.trialIndex);
    const state: CurveState = t === 'succeeded' || t === 'pruned' ? t : t === 'failed' || t === 'cancelled' ? 'failed' : prunedAt.has(curve.trialIndex) ? 'pruned' : 'running';
    curve.state = state;
    if (state !== 'running') states[String(curve.trialIndex)] = state;
  }
  const ctx: PruneContext = { trialIndex: current.trialIndex, step: current.step, value: current.value, direction, history: [...curves.values()] };
  return { ctx, inputs: { throughMetricId: current.metricId, states, reports: count }, digest: contextDigest(ctx) };
}

export function contextDigest(ctx: PruneContext): string {
  return createHash('sha256').update(canonicalJson(ctx)).digest('hex');
}

/** Asks the pruner; a pruner that throws keeps the trial and says why (so one bad call never blocks the sweep). */
export function decide(pruner: Pruner, ctx: PruneContext): PruneDecision {
  try {
    const d = pruner.shouldPrune(structuredClone(ctx));
    if (typeof d?.prune !== 'boolean' || typeof d.reason !== 'string') return { prune: false, reason: `pruner returned ${JSON.stringify(d)}, not { prune, reason }` };
    return { prune: d.prune, reason: d.reason };
  } catch (err) {
    return { prune: false, reason: `pruner threw: ${(err as Error).message}` };
  }
}

/** The message a pruned trial carries (trial reason, stop request, stop file). */
export function pruneMessage(pruner: { name: string; version: string }, step: number, reason: string): string {
  return `${pruner.name}@${pruner.version} at step ${step}: ${reason}`;
}
