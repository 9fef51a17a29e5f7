import { Command } from 'commander';
import { CliError } from './client.js';
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

conn(program.command('submit <spec>').description('submit an experiment spec (YAML or JSON); prints its id'))
  .option('--tenant <slug>', 'tenant (default: the token’s only tenant)')
  .option('-f, --follow', 'stream progress until the experiment ends, then print the best trial')
  .action(run(submitCommand as (...args: unknown[]) => Promise<void>));

conn(program.command('status <experimentId>').description('show an experiment, its trials and its best trial'))
  .option('--json', 'print JSON')
  .action(run(statusCommand as (...args: unknown[]) => Promise<void>));

program.parseAsync(process.argv).catch((err) => {
  process.stderr.write(`fairsweep: ${(err as Error).message}\n`);
  process.exit(1);
});
