import { CliError, connection, request } from '../client.js';
import { describeBest, EXPERIMENT_FIELDS, progressBar, type ExperimentView } from './experiment-view.js';

interface StatusView extends ExperimentView {
  trials: { index: number; state: string; value: number | null; params: Record<string, unknown>; reason: string | null }[];
}

export async function statusCommand(id: string, opts: { url?: string; token?: string; json?: boolean }): Promise<void> {
  const conn = connection(opts);
  const data = await request<{ experiment: StatusView | null }>(
    conn,
    `query($id: ID!) { experiment(id: $id) { ${EXPERIMENT_FIELDS} trials { index state value params reason } } }`,
    { id },
  );
  const e = data.experiment;
  if (!e) throw new CliError(`experiment ${id} not found (or not visible to this token)`);
  if (opts.json) {
    process.stdout.write(JSON.stringify(e, null, 2) + '\n');
    return;
  }
  const lines = [
    `experiment ${e.id} "${e.name}" (tenant ${e.tenantSlug}) — ${e.status.toLowerCase()}`,
    `objective: ${e.objective.direction} ${e.objective.metric} · strategy ${e.strategy} · seed ${e.seed}`,
    progressBar(e.progress),
    describeBest(e),
    '',
    'trial  state      value         params',
    ...e.trials.map((t) => `${String(t.index).padEnd(6)} ${t.state.toLowerCase().padEnd(10)} ${String(t.value ?? '').padEnd(13)} ${JSON.stringify(t.params)}${t.reason && t.state === 'FAILED' ? `  (${t.reason})` : ''}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
