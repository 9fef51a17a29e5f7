import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { type ExecutionArgs, GraphQLError, parse, validate } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { type Principal, verifyUpstream } from '@fairsweep/auth';

export interface SubgraphContext {
  principal?: Principal;
}

/** One operation as the subgraph received it, with the outcome of signature verification. */
export interface ReceivedRequest {
  transport: 'http' | 'ws';
  query: string | undefined;
  variables: Record<string, unknown> | undefined;
  extensions: Record<string, unknown> | undefined;
  principal?: Principal;
  rejected?: string;
}

export interface TestSubgraphOptions {
  name: string;
  typeDefs: string;
  resolvers: GraphQLResolverMap<SubgraphContext>;
  secret: string;
  /** Fixed port (e.g. reserved with `freePort()` for a subgraph that starts late); 0 by default. */
  port?: number;
}

export interface TestSubgraph {
  name: string;
  url: string;
  port: number;
  received: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * A tiny Apollo Federation subgraph (Apollo Server 5 + express 5, graphql-ws on the same path)
 * that, like the real ones, accepts only requests signed by the gateway: HTTP operations are
 * verified in `didResolveOperation` (401 when unsigned), WS subscriptions in `onSubscribe`.
 */
export async function startTestSubgraph(opts: TestSubgraphOptions): Promise<TestSubgraph> {
  const schema = buildSubgraphSchema([{ typeDefs: parse(opts.typeDefs), resolvers: opts.resolvers }]);
  const received: ReceivedRequest[] = [];
  const check = (transport: 'http' | 'ws', query: string | undefined, variables: unknown, extensions: unknown): Principal => {
    const entry: ReceivedRequest = {
      transport,
      query,
      variables: variables as Record<string, unknown> | undefined,
      extensions: extensions as Record<string, unknown> | undefined,
    };
    received.push(entry);
    try {
      entry.principal = verifyUpstream(opts.secret, { query, variables: entry.variables ?? {}, extensions: entry.extensions ?? {} });
      return entry.principal;
    } catch (err) {
      entry.rejected = (err as Error).message;
      throw new GraphQLError(`unauthenticated: ${entry.rejected}`, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
    }
  };

  const verifyPlugin: ApolloServerPlugin<SubgraphContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, contextValue }) {
          contextValue.principal = check('http', request.query, request.variables, request.extensions);
        },
      };
    },
  };
  const apollo = new ApolloServer<SubgraphContext>({
    schema,
    introspection: true,
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), verifyPlugin],
  });
  await apollo.start();

  const app = express();
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: opts.name });
  });
  app.use('/graphql', express.json(), expressMiddleware(apollo, { context: async (): Promise<SubgraphContext> => ({}) }));
  const server: Server = createServer(app);
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const ws = useServer<Record<string, unknown> | undefined>(
    {
      schema,
      onSubscribe: (_ctx, _id, payload): ExecutionArgs | readonly GraphQLError[] => {
        let principal: Principal;
        try {
          principal = check('ws', payload.query, payload.variables, payload.extensions);
        } catch (err) {
          return [err as GraphQLError];
        }
        const document = parse(payload.query);
        const errors = validate(schema, document);
        if (errors.length) return errors;
        return {
          schema,
          document,
          variableValues: payload.variables ?? undefined,
          operationName: payload.operationName ?? undefined,
          contextValue: { principal } satisfies SubgraphContext,
        };
      },
    },
    wss,
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    name: opts.name,
    url: `http://127.0.0.1:${port}/graphql`,
    port,
    received,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await ws.dispose();
      await apollo.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port that was free a moment ago (for a subgraph that starts later on a known address). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', () => resolve()));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}
