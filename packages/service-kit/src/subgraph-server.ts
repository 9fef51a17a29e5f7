import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { type Principal, SignatureError, verifyUpstream } from '@fairsweep/auth';
import { createErrorFormatter } from './format-error.js';
import type { Logger } from './logger.js';
import { requireGatewaySignature } from './request-auth.js';

export interface SubgraphServerOptions<C extends BaseContext> {
  name: string;
  host: string;
  port: number;
  schema: GraphQLSchema;
  upstreamSecret: string;
  /** Builds the per-operation context (forked EntityManager, loaders) for a verified caller. */
  createContext(principal: Principal): C | Promise<C>;
  /** Throws when the service cannot serve (e.g. database unreachable); drives /healthz. */
  healthCheck?: () => Promise<void>;
  logger: Logger;
  signatureValidityMs?: number;
}

export interface RunningSubgraph {
  name: string;
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves a subgraph: GraphQL over HTTP POST and graphql-ws on the same `/graphql` path, `/healthz`.
 * Every operation, on either transport, must carry a valid gateway signature.
 */
export async function serveSubgraph<C extends BaseContext>(opts: SubgraphServerOptions<C>): Promise<RunningSubgraph> {
  const app = express();
  const httpServer: Server = createServer(app);
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const verify = (query: string | undefined, variables: unknown, extensions: unknown): Principal =>
    verifyUpstream(
      opts.upstreamSecret,
      { query, variables: (variables as Record<string, unknown>) ?? {}, extensions: (extensions as Record<string, unknown>) ?? {} },
      opts.signatureValidityMs === undefined ? {} : { validityMs: opts.signatureValidityMs },
    );
  const wsCleanup = useServer(
    {
      schema: opts.schema,
      onSubscribe: (_ctx, _id, payload) => {
        try {
          verify(payload.query, payload.variables, payload.extensions);
        } catch (err) {
          const message = err instanceof SignatureError ? err.message : 'invalid request';
          return [new GraphQLError(`unauthenticated: ${message}`, { extensions: { code: 'UNAUTHENTICATED' } })];
        }
        return undefined;
      },
      context: (_ctx, _id, payload) => opts.createContext(verify(payload.query, payload.variables, payload.extensions)),
    },
    wsServer,
  );
  const formatError = createErrorFormatter(opts.name, (msg, err) => opts.logger.error(msg, err));
  const apollo = new ApolloServer<C>({
    schema: opts.schema,
    formatError,
    introspection: true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      { async serverWillStart() { return { async drainServer() { await wsCleanup.dispose(); } }; } },
    ],
  });
  await apollo.start();
  app.get('/healthz', async (_req, res) => {
    try {
      await opts.healthCheck?.();
      res.json({ status: 'ok', service: opts.name });
    } catch (err) {
      res.status(503).json({ status: 'unavailable', service: opts.name, reason: (err as Error).message });
    }
  });
  app.use(
    '/graphql',
    express.json({ limit: '5mb' }),
    requireGatewaySignature(opts.upstreamSecret, opts.signatureValidityMs),
    expressMiddleware(apollo, { context: async ({ req }) => opts.createContext(req.principal!) }),
  );
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port, opts.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const url = `http://${opts.host}:${port}/graphql`;
  opts.logger.info(`${opts.name} subgraph listening`, { url });
  return {
    name: opts.name,
    url,
    port,
    close: async () => {
      for (const client of wsServer.clients) client.terminate();
      await apollo.stop();
    },
  };
}
