import { connection, request } from '../client.js';

interface Compared {
  experiment: { id: string; name: string };
  rank: number | null;
  trials: { total: number; succeeded: number; failed: number; pruned: number; unfinished: number };
  bestValue: number | null;
  bestTrialIndex: number | null;
  medianTrialSeconds: number | null;
  medianNormalizedTrialSeconds: number | null;
  normalizedComputeSeconds: number;
  devices: { deviceType: string | null; throughputFactor: number | null; attempts: number }[];
}

export interface ComparisonView {
  metric: string;
  direction: string;
  comparable: boolean;
  notes: string[];
  experiments: Compared[];
  specDifferences: { path: string; values: unknown[] }[];
}

export const COMPARE_QUERY = `query($ids: [ID!]!) { compareExperiments(ids: $ids) { metric direction comparable notes
  experiments { experiment { id name } rank trials { total succeeded failed pruned unfinished } bestValue bestTrialIndex
    medianTrialSeconds medianNormalizedTrialSeconds normalizedComputeSeconds devices { deviceType throughputFactor attempts } }
  specDifferences { path values } } }`;

/** `fairsweep compare <id> <id>...`: experiments side by side, trial times normalised across device types. */
export async function compareCommand(ids: string[], opts: { url?: string; token?: string; json?: boolean }): Promise<void> {
  const conn = connection(opts);
  const r = (await request<{ compareExperiments: ComparisonView }>(conn, COMPARE_QUERY, { ids })).compareExperiments;
  process.stdout.write((opts.json ? JSON.stringify(r, null, 2) : describeComparison(r)) + '\n');
}

const num = (x: number | null, unit = '') => (x === null ? '-' : `${Number(x.toPrecision(6))}${unit}`);

export function describeComparison(r: ComparisonView): string {
  const header = ['rank', 'experiment', 'name', `best ${r.metric} (${r.direction})`, 'trial', 'ok/total', 'median s', 'median s (norm.)', 'compute s (norm.)', 'devices'];
  const rows = r.experiments.map((e) => [
    e.rank === null ? '-' : String(e.rank), e.experiment.id.slice(0, 8), e.experiment.name, num(e.bestValue), e.bestTrialIndex === null ? '-' : `#${e.bestTrialIndex}`,
    `${e.trials.succeeded}/${e.trials.total}`, num(e.medianTrialSeconds), num(e.medianNormalizedTrialSeconds), num(e.normalizedComputeSeconds),
    e.devices.map((d) => `${d.deviceType ?? 'undeclared'}×${d.throughputFactor ?? 1} (${d.attempts})`).join(', ') || '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(header), ...rows.map(line)];
  if (r.specDifferences.length > 0) {
    out.push('', 'spec differences:');
    for (const d of r.specDifferences) out.push(`  ${d.path}: ${d.values.map((v) => JSON.stringify(v)).join(' | ')}`);
  }
  for (const n of r.notes) out.push(`note: ${n}`);
  return out.join('\n');
}
