import type { BaseContext } from '@apollo/server';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { GraphQLSchema } from 'graphql';
import type { Principal } from '@fairsweep/auth';
import { openDatabase, type DatabaseOptions } from './database.js';
import { EventFeed, type ConsumerDefinition } from './event-feed.js';
import { createLogger, type Logger } from './logger.js';
import { serveSubgraph, type RunningSubgraph } from './subgraph-server.js';

/** What every subgraph service is started with. */
export interface ServiceConfig {
  databaseUrl: string;
  host: string;
  port: number;
  upstreamSecret: string;
  /** Fallback polling interval of the event feed (NOTIFY wakes it sooner). */
  eventPollMs?: number;
  logger?: Logger;
}

export interface ServiceDeps {
  orm: MikroORM;
  feed: EventFeed;
  log: Logger;
}

export interface RequestBase {
  principal: Principal;
  em: EntityManager;
  feed: EventFeed;
}

/** A subgraph described declaratively; `startSubgraphService` wires database, events and server. */
export interface SubgraphDefinition<C extends BaseContext> {
  /** Service name; also the PostgreSQL schema it owns. */
  name: string;
  entities: DatabaseOptions['entities'];
  migrations: DatabaseOptions['migrations'];
  buildSchema(): Promise<GraphQLSchema>;
  createContext(base: RequestBase, deps: ServiceDeps): C;
  consumers?(deps: ServiceDeps): ConsumerDefinition[];
  /** Background work (e.g. the admission loop); returns its stop function. */
  startBackground?(deps: ServiceDeps): Promise<() => Promise<void>>;
}

export interface RunningService extends RunningSubgraph {
  orm: MikroORM;
  feed: EventFeed;
}

export async function startSubgraphService<C extends BaseContext>(def: SubgraphDefinition<C>, config: ServiceConfig): Promise<RunningService> {
  const log = config.logger ?? createLogger(def.name);
  const orm = await openDatabase({ url: config.databaseUrl, schema: def.name, entities: def.entities, migrations: def.migrations });
  const feed = new EventFeed(orm, def.name, config.databaseUrl, log, config.eventPollMs ?? 1000);
  const deps: ServiceDeps = { orm, feed, log };
  for (const c of def.consumers?.(deps) ?? []) feed.addConsumer(c);
  let stopBackground: (() => Promise<void>) | null = null;
  let server: RunningSubgraph | null = null;
  try {
    await feed.start();
    const schema = await def.buildSchema();
    server = await serveSubgraph<C>({
      name: def.name,
      host: config.host,
      port: config.port,
      schema,
      upstreamSecret: config.upstreamSecret,
      logger: log,
      createContext: (principal) => def.createContext({ principal, em: orm.em.fork(), feed }, deps),
      healthCheck: async () => {
        await orm.em.getConnection().execute('SELECT 1');
      },
    });
    stopBackground = (await def.startBackground?.(deps)) ?? null;
  } catch (err) {
    await server?.close().catch(() => undefined);
    await feed.stop().catch(() => undefined);
    await orm.close().catch(() => undefined);
    throw err;
  }
  const running = server;
  return {
    ...running,
    orm,
    feed,
    close: async () => {
      await stopBackground?.();
      await running.close();
      await feed.stop();
      await orm.close();
      log.info(`${def.name} stopped`);
    },
  };
}

/** Reads the common service settings from the environment, naming any missing variable. */
export function serviceConfigFromEnv(defaultPort: number, env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is required (postgres://user:password@host:port/database)');
  const upstreamSecret = env.FAIRSWEEP_UPSTREAM_SECRET;
  if (!upstreamSecret || upstreamSecret.length < 32) throw new Error('FAIRSWEEP_UPSTREAM_SECRET is required: at least 32 characters, shared with the gateway');
  const port = env.PORT ? Number(env.PORT) : defaultPort;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be an integer 0-65535, got "${env.PORT}"`);
  return { databaseUrl, upstreamSecret, host: env.HOST ?? '127.0.0.1', port };
}

/** Runs a service from `main.ts`: start, then stop cleanly on SIGINT/SIGTERM. */
export function runMain(name: string, start: () => Promise<{ close(): Promise<void> }>): void {
  const log = createLogger(name);
  start().then(
    (svc) => {
      const stop = (signal: string) => {
        log.info(`received ${signal}, stopping`);
        svc.close().then(() => process.exit(0), (err) => {
          log.error('error while stopping', err);
          process.exit(1);
        });
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    },
    (err) => {
      log.error(`${name} failed to start`, err);
      process.exit(1);
    },
  );
}
