import { existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { CliError, connection, defaultTenant, request, wsClient, type Connection } from '../client.js';
import { environmentFor, type EnvironmentFlags } from './environment-flags.js';
import { describeBest, EXPERIMENT_FIELDS, FINISHED, progressBar, type ExperimentView } from './experiment-view.js';

export interface SubmitOptions extends EnvironmentFlags {
  tenant?: string;
  follow?: boolean;
  url?: string;
  token?: string;
}

export async function submitCommand(file: string, opts: SubmitOptions): Promise<void> {
  if (!existsSync(file)) throw new CliError(`spec file not found: ${file}`);
  const conn = connection(opts);
  const tenant = opts.tenant ?? defaultTenant(conn.token);
  const ext = extname(file).toLowerCase();
  const format = ext === '.json' ? 'JSON' : ext === '.yaml' || ext === '.yml' ? 'YAML' : null;
  const data = await request<{ submitExperiment: { id: string; name: string; seed: number; specHash: string } }>(
    conn,
    `mutation($tenant: String!, $spec: String!, $format: SpecFormat, $environment: JSON) {
      submitExperiment(tenant: $tenant, spec: $spec, format: $format, environment: $environment) { id name seed specHash }
    }`,
    { tenant, spec: readFileSync(file, 'utf8'), format, environment: environmentFor(opts) },
  );
  const exp = data.submitExperiment;
  if (!opts.follow) {
    process.stdout.write(`${exp.id}\n`);
    return;
  }
  process.stdout.write(`submitted experiment ${exp.id} (${exp.name}) to tenant ${tenant}; seed ${exp.seed}, spec ${exp.specHash.slice(0, 12)}\n`);
  const final = await follow(conn, exp.id);
  process.stdout.write(`\nexperiment ${final.id} ${final.status.toLowerCase()}\n${describeBest(final)}\n`);
  if (final.status !== 'SUCCEEDED') process.exitCode = 1;
}


async function fetchExperiment(conn: Connection, id: string): Promise<ExperimentView> {
  const data = await request<{ experiment: ExperimentView | null }>(conn, `query($id: ID!) { experiment(id: $id) { ${EXPERIMENT_FIELDS} } }`, { id });
  if (!data.experiment) throw new CliError(`experiment ${id} not found`);
  return data.experiment;
}

/** Streams progress over the trialProgress subscription until the experiment ends. */
export async function follow(conn: Connection, id: string): Promise<ExperimentView> {
  const client = wsClient(conn);
  const tty = process.stdout.isTTY;
  let last = '';
  const draw = (e: ExperimentView) => {
    const line = progressBar(e.progress);
    if (line === last) return;
    last = line;
    process.stdout.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
  };
  try {
    return await new Promise<ExperimentView>((resolve, reject) => {
      let done = false;
      const finish = (e: ExperimentView) => {
        if (done) return;
        done = true;
        draw(e);
        unsubscribe();
        resolve(e);
      };
      const unsubscribe = client.subscribe<{ trialProgress: { kind: string; experiment: ExperimentView; metric: { name: string; value: number } | null } }>(
        { query: `subscription($id: ID!) { trialProgress(experimentId: $id) { kind metric { name value } experiment { ${EXPERIMENT_FIELDS} } } }`, variables: { id } },
        {
          next: (msg) => {
            if (msg.errors?.length) return reject(new CliError(msg.errors.map((e) => e.message).join('; ')));
            const ev = msg.data!.trialProgress;
            if (FINISHED.has(ev.experiment.status)) finish(ev.experiment);
            else if (ev.kind !== 'METRIC' || !tty) draw(ev.experiment);
          },
          error: (err) => reject(new CliError(`subscription failed: ${err instanceof Error ? err.message : JSON.stringify(err)}`)),
          complete: () => undefined,
        },
      );
      // Catch up on anything that happened before the subscription was in place.
      const poll = async () => {
        if (done) return;
        try {
          const e = await fetchExperiment(conn, id);
          if (FINISHED.has(e.status)) finish(e);
          else {
            draw(e);
            setTimeout(poll, 5000).unref();
          }
        } catch (err) {
          reject(err);
        }
      };
      setTimeout(poll, 300).unref();
    });
  } finally {
    await client.dispose();
  }
}
