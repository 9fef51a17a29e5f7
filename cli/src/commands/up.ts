import { platformConfigFromEnv, startPlatform } from '@fairsweep/platform';

/** `fairsweep up` (= `npm start`): the whole platform in one process; Ctrl-C stops it cleanly. */
export async function upCommand(): Promise<void> {
  const config = platformConfigFromEnv();
  const t0 = Date.now();
  const platform = await startPlatform(config);
  const lines = [
    '',
    `Fairsweep is up in ${((Date.now() - t0) / 1000).toFixed(1)} s on ${platform.embedded ? `embedded PostgreSQL (data in ${config.dataDir})` : 'the PostgreSQL at DATABASE_URL'}.`,
    `  GraphiQL:   ${platform.gatewayUrl}`,
    `  Token:      export FAIRSWEEP_TOKEN=$(npx fairsweep token --tenant demo --role tenant-admin)`,
    `              (GraphiQL: add the header {"Authorization": "Bearer <token>"})`,
    `  Try:        npx fairsweep submit examples/quadratic.yaml --follow`,
    '  Stop:       Ctrl-C',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping Fairsweep...\n`);
    platform.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
