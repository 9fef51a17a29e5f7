import { gatewayConfigFromEnv } from './gateway.config.js';
import { defaultGatewayLogger, errorText } from './gateway.logger.js';
import { startGateway } from './gateway.server.js';

/** Container entry point (`node dist/main.js`): config from the environment, stop on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const logger = defaultGatewayLogger();
  const gateway = await startGateway({ ...gatewayConfigFromEnv(), logger });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received, closing`);
    gateway.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error(`close failed: ${errorText(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`fairsweep gateway failed to start: ${errorText(err)}\n`);
  process.exit(1);
});
