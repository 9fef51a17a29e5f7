import { CliError, connection, request } from '../client.js';

interface ReplayView {
  experimentId: string;
  match: boolean;
  checked: number;
  matched: number;
  strategy: string;
  strategyVersion: string;
  firstDivergence: { trialIndex: number; trialId: string | null; parameter: string | null; field: string; expected: unknown; actual: unknown; message: string } | null;
  /** Absent from servers without pruning; null when the experiment has no pruner. */
  prune?: {
    pruner: string;
    checked: number;
    matched: number;
    firstDivergence: { decision: number; trialIndex: number; trialId: string | null; step: number; field: string; expected: unknown; actual: unknown; message: string } | null;
  } | null;
}

export const REPLAY_QUERY = `query($id: ID!) { replayExperiment(id: $id) { experimentId match checked matched strategy strategyVersion
  firstDivergence { trialIndex trialId parameter field expected actual message }
  prune { pruner checked matched firstDivergence { decision trialIndex trialId step field expected actual message } } } }`;

/** `fairsweep replay <id>`: exit 0 when every suggestion re-derives bit for bit, 1 with the first divergence. */
export async function replayCommand(id: string, opts: { url?: string; token?: string; json?: boolean }): Promise<void> {
  const conn = connection(opts);
  const r = (await request<{ replayExperiment: ReplayView }>(conn, REPLAY_QUERY, { id })).replayExperiment;
  if (opts.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
  else process.stdout.write(describeReplay(r) + '\n');
  if (!r.match) process.exitCode = 1;
}

export function describeReplay(r: ReplayView): string {
  const p = r.prune;
  const head = `replay of experiment ${r.experimentId} (strategy ${r.strategy}@${r.strategyVersion}): ${r.matched}/${r.checked} trials match`
    + (p ? `\npruner ${p.pruner}: ${p.matched}/${p.checked} decisions match` : '');
  if (r.match) return `${head}\nmatch: every suggestion and seed${p ? ' and every pruning decision' : ''} re-derived bit for bit`;
  const d = r.firstDivergence;
  const pd = p?.firstDivergence;
  if (!d && !pd) throw new CliError('replay reported no match but no divergence');
  const lines = [head];
  if (d) lines.push(...describeDivergence(d));
  if (pd) {
    lines.push(
      `DIVERGED at pruning decision ${pd.decision}, trial ${pd.trialIndex}${pd.trialId ? ` (${pd.trialId})` : ''} step ${pd.step}: ${pd.field.toLowerCase()}`,
      `  expected (recorded):  ${JSON.stringify(pd.expected)}`,
      `  actual (re-derived):  ${JSON.stringify(pd.actual)}`,
      `  ${pd.message}`,
    );
  }
  return lines.join('\n');
}

function describeDivergence(d: NonNullable<ReplayView['firstDivergence']>): string[] {
  return [
    `DIVERGED at trial ${d.trialIndex}${d.trialId ? ` (${d.trialId})` : ''}: ${d.field.toLowerCase()}${d.parameter ? ` ${d.parameter}` : ''}`,
    `  expected (recorded):  ${JSON.stringify(d.expected)}`,
    `  actual (re-derived):  ${JSON.stringify(d.actual)}`,
    `  ${d.message}`,
  ];
}
