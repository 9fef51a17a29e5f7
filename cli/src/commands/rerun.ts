import { connection, request } from '../client.js';
import { describeBest } from './experiment-view.js';
import { environmentFor, type EnvironmentFlags } from './environment-flags.js';
import { follow } from './submit.js';

export interface RerunOptions extends EnvironmentFlags {
  /** `--executor X`: run the child on another installed executor (replaces trial.executor). */
  executor?: string;
  follow?: boolean;
  url?: string;
  token?: string;
}

interface Override {
  path: string;
  parent: unknown;
  child: unknown;
}

const RERUN = `mutation($id: ID!, $environment: JSON, $executor: String) {
  rerunExperiment(id: $id, environment: $environment, executor: $executor) { id seed specHash rerunOverrides parent { id } }
}`;

/** `trial.executor: local → slurm`, one line per overridden spec path; `none` for a plain rerun. */
export function describeOverrides(overrides: Override[] | null): string {
  if (!overrides || overrides.length === 0) return 'none';
  return overrides.map((o) => `${o.path}: ${JSON.stringify(o.parent)} → ${JSON.stringify(o.child)}`).join(', ');
}

/** `fairsweep rerun <id> [--executor X]`: a new experiment from the recorded spec and seed, linked as a child. */
export async function rerunCommand(id: string, opts: RerunOptions): Promise<void> {
  const conn = connection(opts);
  const data = await request<{ rerunExperiment: { id: string; seed: number; specHash: string; rerunOverrides: Override[] | null; parent: { id: string } | null } }>(
    conn,
    RERUN,
    { id, environment: environmentFor(opts), executor: opts.executor ?? null },
  );
  const exp = data.rerunExperiment;
  if (!opts.follow) {
    process.stdout.write(`${exp.id}\n`);
    return;
  }
  process.stdout.write(`rerun of ${id}: experiment ${exp.id}; seed ${exp.seed}, spec ${exp.specHash.slice(0, 12)}; overrides: ${describeOverrides(exp.rerunOverrides)}\n`);
  const final = await follow(conn, exp.id);
  process.stdout.write(`\nexperiment ${final.id} ${final.status.toLowerCase()}\n${describeBest(final)}\n`);
  if (final.status !== 'SUCCEEDED') process.exitCode = 1;
}
