import { connection, request } from '../client.js';
import { describeBest } from './experiment-view.js';
import { environmentFor, type EnvironmentFlags } from './environment-flags.js';
import { follow } from './submit.js';

export interface RerunOptions extends EnvironmentFlags {
  follow?: boolean;
  url?: string;
  token?: string;
}

/** `fairsweep rerun <id>`: a new experiment from the recorded spec and seed, linked as a child. */
export async function rerunCommand(id: string, opts: RerunOptions): Promise<void> {
  const conn = connection(opts);
  const data = await request<{ rerunExperiment: { id: string; seed: number; specHash: string; parent: { id: string } | null } }>(
    conn,
    'mutation($id: ID!, $environment: JSON) { rerunExperiment(id: $id, environment: $environment) { id seed specHash parent { id } } }',
    { id, environment: environmentFor(opts) },
  );
  const exp = data.rerunExperiment;
  if (!opts.follow) {
    process.stdout.write(`${exp.id}\n`);
    return;
  }
  process.stdout.write(`rerun of ${id}: experiment ${exp.id}; seed ${exp.seed}, spec ${exp.specHash.slice(0, 12)}\n`);
  const final = await follow(conn, exp.id);
  process.stdout.write(`\nexperiment ${final.id} ${final.status.toLowerCase()}\n${describeBest(final)}\n`);
  if (final.status !== 'SUCCEEDED') process.exitCode = 1;
}
