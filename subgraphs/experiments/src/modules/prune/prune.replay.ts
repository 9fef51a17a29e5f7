import { canonicalJson, type ObjectiveDirection, type Pruner } from '@fairsweep/sdk';
import { buildPruneContext, decide, type ObjectiveReport, type PruneInputs } from './prune.domain.js';

/** A recorded pruning decision, as replay reads it. */
export interface RecordedPruneDecision {
  trialIndex: number;
  metricId: number;
  step: number;
  value: number;
  pruner: string;
  prunerVersion: string;
  options: Record<string, unknown>;
  prune: boolean;
  reason: string;
  inputs: PruneInputs;
  inputsSha256: string;
}

export type PruneDivergenceField = 'pruner' | 'report' | 'decision' | 'inputs';

export interface PruneDivergence {
  /** 1-based position of the decision in record order. */
  decision: number;
  trialIndex: number;
  step: number;
  field: PruneDivergenceField;
  expected: unknown;
  actual: unknown;
  message: string;
}

export interface PruneReplayReport {
  pruner: string;
  /** Decisions re-derived. */
  checked: number;
  matched: number;
  firstDivergence?: PruneDivergence;
}

export type PrunerFactoryFn = (name: string, options: Record<string, unknown>) => Pruner | { error: string; path: string };

/**
 * Re-derives every recorded pruning decision, in record order, from the current objective reports
 * and the recorded inputs, and compares: the pruner (name, options, installed version), the report
 * it was made on (step and value still as recorded), the decision (prune and reason), and the
 * SHA-256 of the context rebuilt from the record. Pure.
 */
export function replayPruneDecisions(
  spec: { name: string; options: Record<string, unknown> },
  direction: ObjectiveDirection,
  decisions: readonly RecordedPruneDecision[],
  reports: readonly ObjectiveReport[],
  pruners: PrunerFactoryFn,
): PruneReplayReport {
  const ordered = [...decisions].sort((a, b) => a.metricId - b.metricId);
  const byMetric = new Map(reports.map((r) => [r.metricId, r]));
  const pruner = pruners(spec.name, spec.options);
  let matched = 0;
  let first: PruneDivergence | undefined;
  ordered.forEach((d, i) => {
    const at = (field: PruneDivergenceField, expected: unknown, actual: unknown, message: string): PruneDivergence => ({
      decision: i + 1, trialIndex: d.trialIndex, step: d.step, field, expected, actual, message: `decision ${i + 1} (trial ${d.trialIndex}, step ${d.step}): ${message}`,
    });
    const divergence = ((): PruneDivergence | null => {
      if (d.pruner !== spec.name) return at('pruner', spec.name, d.pruner, `made by pruner "${d.pruner}", the experiment names "${spec.name}"`);
      if (canonicalJson(d.options) !== canonicalJson(spec.options)) return at('pruner', spec.options, d.options, 'recorded pruner options differ from the spec');
      if ('error' in pruner) return at('pruner', `${d.pruner}@${d.prunerVersion}`, null, `pruner "${d.pruner}" cannot be created: ${pruner.error}`);
      if (pruner.version !== d.prunerVersion) return at('pruner', d.prunerVersion, pruner.version, `recorded with ${d.pruner}@${d.prunerVersion}, installed is ${pruner.name}@${pruner.version}`);
      const report = byMetric.get(d.metricId);
      if (!report || report.trialIndex !== d.trialIndex || report.step !== d.step) {
        return at('report', { trialIndex: d.trialIndex, step: d.step }, report ? { trialIndex: report.trialIndex, step: report.step } : null, 'the report it was made on is missing or changed');
      }
      if (!Object.is(report.value, d.value)) return at('report', d.value, report.value, `the reported value it was made on: recorded ${d.value}, now ${report.value}`);
      const prunedAt = new Map(ordered.filter((p) => p.prune && p.metricId < d.metricId).map((p) => [p.trialIndex, p.metricId]));
      const terminal = new Map(Object.entries(d.inputs.states).map(([k, v]) => [Number(k), v as string]));
      const built = buildPruneContext(reports, report, prunedAt, terminal, direction);
      if (!built) return at('inputs', 'an evaluated report', 'a report the rules skip', 'the report would not be evaluated (repeated step or trial already pruned)');
      const decision = decide(pruner, built.ctx);
      if (decision.prune !== d.prune || decision.reason !== d.reason) {
        return at('decision', { prune: d.prune, reason: d.reason }, decision, `recorded ${d.prune ? 'prune' : 'continue'} (${d.reason}), re-derived ${decision.prune ? 'prune' : 'continue'} (${decision.reason})`);
      }
      if (built.digest !== d.inputsSha256.trim()) {
        return at('inputs', d.inputsSha256.trim(), built.digest, `the context rebuilt from the record (${built.inputs.reports} values) differs from the one the decision was made on (SHA-256)`);
      }
      return null;
    })();
    if (divergence) first ??= divergence;
    else matched += 1;
  });
  return { pruner: spec.name, checked: ordered.length, matched, ...(first ? { firstDivergence: first } : {}) };
}
