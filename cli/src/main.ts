import { Command } from 'commander';
import { CliError } from './client.js';
import { compareCommand } from './commands/compare.js';
import { pluginNewCommand } from './commands/plugin/plugin-new.js';
import { queueCommand } from './commands/queue.js';
import { replayCommand } from './commands/replay.js';
import { rerunCommand } from './commands/rerun.js';
import { statusCommand } from './commands/status.js';
import { submitCommand } from './commands/submit.js';
import { tokenCommand } from './commands/token.js';
import { upCommand } from './commands/up.js';

const program = new Command('fairsweep')
  .description('Reproducible, distributed hyperparameter tuning under quotas')
  .version('0.1.0')
  .showHelpAfterError();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const run = (fn: (...args: any[]) => Promise<void> | void) => async (...args: unknown[]) => {
  try {
    await fn(...args);
  } catch (err) {
    const message = err instanceof CliError ? err.message : (err as Error).stack ?? String(err);
    process.stderr.write(`fairsweep: ${message}\n`);
    process.exit(err instanceof CliError ? err.exitCode : 1);
  }
};

program.command('up').description('start the platform (embedded PostgreSQL unless DATABASE_URL is set); same as npm start').action(run(upCommand));

program
  .command('token')
  .description('print a dev token signed with the embedded platform key')
  .option('--tenant <slug>', 'tenant the token is a member of')
  .requiredOption('--role <role>', 'platform-admin, tenant-admin, member or viewer')
  .option('--sub <subject>', 'subject (user name) in the token')
  .option('--ttl-hours <hours>', 'validity', '12')
  .action(run(tokenCommand as (...args: unknown[]) => Promise<void>));

const conn = (c: Command) => c.option('--url <url>', 'gateway GraphQL URL (FAIRSWEEP_URL)').option('--token <jwt>', 'bearer token (FAIRSWEEP_TOKEN)');

const snapshot = (c: Command) =>
  c
    .option('--image-digest <digest>', 'container image digest the trials run in (recorded in the environment snapshot)')
    .option('--env-allow <VAR,...>', 'environment variables to record in the snapshot (names, comma-separated)')
    .option('--no-environment', 'send no environment snapshot (git state, lockfile hashes, runtimes)');

snapshot(conn(program.command('submit <spec>').description('submit an experiment spec (YAML or JSON) with an environment snapshot of the working tree; prints its id')))
  .option('--tenant <slug>', 'tenant (default: the token’s only tenant)')
  .option('-f, --follow', 'stream progress until the experiment ends, then print the best trial')
  .action(run(submitCommand as (...args: unknown[]) => Promise<void>));

conn(program.command('status <experimentId>').description('show an experiment, its trials and its best trial'))
  .option('--json', 'print JSON')
  .action(run(statusCommand as (...args: unknown[]) => Promise<void>));

conn(program.command('queue').description("show the tenant's queued trials: position, how long each waited, estimated start, and why it is not running"))
  .option('--tenant <slug>', 'tenant (default: the token’s only tenant)')
  .option('--limit <n>', 'rows to print', '50')
  .option('--json', 'print JSON')
  .action(run(queueCommand as (...args: unknown[]) => Promise<void>));

conn(program.command('replay <experimentId>').description('re-derive every suggestion and seed from the record; exit 0 on a match, 1 with the first divergence'))
  .option('--json', 'print JSON')
  .action(run(replayCommand as (...args: unknown[]) => Promise<void>));

snapshot(conn(program.command('rerun <experimentId>').description('start a new experiment from a recorded one (same spec and seed), linked as its child; prints its id')))
  .option('--executor <name>', 'run the rerun on this installed executor instead of the recorded trial.executor (the only spec field a rerun may change)')
  .option('-f, --follow', 'stream progress until the experiment ends, then print the best trial')
  .action(run(rerunCommand as (...args: unknown[]) => Promise<void>));

conn(program.command('compare <experimentIds...>').description('put 2 to 20 experiments side by side: results, rank, trial times normalised across device types, spec differences'))
  .option('--json', 'print JSON')
  .action(run(compareCommand as (...args: unknown[]) => Promise<void>));

program
  .command('plugin')
  .description('plugin authoring')
  .command('new <name>')
  .description('generate a plugin package (npm name, e.g. @acme/strategy-best) that passes its SDK conformance kit out of the box')
  .requiredOption('--kind <kind>', 'strategy, pruner or executor')
  .option('--dir <path>', 'where to create it (default: ./<last part of the name>); must not exist')
  .action(run(pluginNewCommand as (...args: unknown[]) => void));

program.parseAsync(process.argv).catch((err) => {
  process.stderr.write(`fairsweep: ${(err as Error).message}\n`);
  process.exit(1);
});
