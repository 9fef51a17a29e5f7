/** Shared GraphQL selections and printing for `submit --follow` and `status`. */
export const EXPERIMENT_FIELDS = `
  id name status tenantSlug specHash seed strategy
  objective { metric direction }
  progress { maxTrials created pending running succeeded failed cancelled pruned }
  bestTrial { id index value params seed }
`;

export interface ExperimentView {
  id: string;
  name: string;
  status: string;
  tenantSlug: string;
  specHash: string;
  seed: number;
  strategy: string;
  objective: { metric: string; direction: string };
  progress: { maxTrials: number; created: number; pending: number; running: number; succeeded: number; failed: number; cancelled: number; pruned: number };
  bestTrial: { id: string; index: number; value: number; params: Record<string, unknown>; seed: number } | null;
}

export const FINISHED = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

export function progressBar(p: ExperimentView['progress'], width = 30): string {
  const pruned = p.pruned ?? 0;
  const done = p.succeeded + p.failed + p.cancelled + pruned;
  const filled = Math.round((done / Math.max(p.maxTrials, 1)) * width);
  const extra = `${pruned > 0 ? ` · ${pruned} pruned` : ''}${p.cancelled > 0 ? ` · ${p.cancelled} cancelled` : ''}`;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${p.maxTrials} done · ${p.running} running · ${p.pending} queued · ${p.succeeded} ok · ${p.failed} failed${extra}`;
}

export function describeBest(e: ExperimentView): string {
  if (!e.bestTrial) return `no trial succeeded (objective ${e.objective.metric})`;
  const t = e.bestTrial;
  return `best trial #${t.index} (${t.id}): ${e.objective.metric}=${t.value} (${e.objective.direction})\n  params: ${JSON.stringify(t.params)}\n  seed: ${t.seed}`;
}
