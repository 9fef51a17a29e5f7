import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { type GatewayConfig, validateGatewayConfig } from './gateway.config.js';
import { defaultGatewayLogger, errorText } from './gateway.logger.js';
import { createGraphiQLPage, wantsGraphiQL } from './graphiql.page.js';
import { serveGraphQLWs } from './graphql-ws.server.js';
import { sendJson, sendLiveness, sendReadiness } from './health.routes.js';
import { createRuntime, GRAPHQL_ENDPOINT } from './runtime.factory.js';
import { composeSupergraph } from './supergraph.composer.js';

export interface RunningGateway {
  /** http://host:port/graphql (the same URL serves graphql-ws as ws://…). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the gateway: listens at once (so /healthz and /readyz answer during start-up), composes
 * the supergraph from the subgraphs (waiting for late ones), then serves GraphQL over HTTP and
 * graphql-ws. Rejects — and releases the port — when composition fails.
 */
export async function startGateway(config: GatewayConfig): Promise<RunningGateway> {
  validateGatewayConfig(config);
  const logger = config.logger ?? defaultGatewayLogger();
  let runtime: GatewayRuntime | undefined;
  const graphiql = createGraphiQLPage(GRAPHQL_ENDPOINT);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { pathname } = new URL(req.url ?? '/', 'http://gateway');
    if (req.method === 'GET' && pathname === '/healthz') return sendLiveness(res);
    if (req.method === 'GET' && pathname === '/readyz') return sendReadiness(res, runtime !== undefined, config.subgraphs);
    if (wantsGraphiQL(req, pathname, GRAPHQL_ENDPOINT)) return graphiql(req, res);
    if (!runtime) {
      if (pathname !== GRAPHQL_ENDPOINT) return sendJson(res, 404, { error: 'not found' });
      return sendJson(res, 503, {
        errors: [{ message: 'The gateway is starting: the supergraph is not composed yet', extensions: { code: 'SERVICE_UNAVAILABLE' } }],
      });
    }
    await runtime.requestListener(req, res);
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger.error(`request ${req.method} ${req.url} failed: ${errorText(err)}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });

  const ws = serveGraphQLWs(server, GRAPHQL_ENDPOINT);

  await listen(server, config.port, config.host);
  const port = (server.address() as AddressInfo).port;
  const url = `http://${displayHost(config.host)}:${port}${GRAPHQL_ENDPOINT}`;
  logger.info(`gateway listening on ${url}; composing the supergraph from ${config.subgraphs.map((s) => s.name).join(', ')}`);

  const close = async (): Promise<void> => {
    await ws.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await runtime?.dispose();
  };

  let created: GatewayRuntime | undefined;
  try {
    const supergraphSdl = await composeSupergraph({
      subgraphs: config.subgraphs,
      secret: config.upstreamSecret,
      timeoutMs: config.compositionTimeoutMs,
      logger,
    });
    created = createRuntime({ supergraphSdl, subgraphs: config.subgraphs, upstreamSecret: config.upstreamSecret, jwt: config.jwt, logger });
    // Load the supergraph now: the runtime loads it lazily on the first HTTP request, which
    // graphql-ws operations do not go through.
    await created.getSchema();
    runtime = created;
    ws.attach(created);
  } catch (err) {
    await close().catch(() => undefined);
    if (created && !runtime) await Promise.resolve(created.dispose()).catch(() => undefined);
    throw err;
  }
  logger.info(`gateway ready on ${url}`);
  return { url, port, close };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(new Error(`gateway cannot listen on ${host}:${port}: ${err.message}`));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
