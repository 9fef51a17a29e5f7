import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type GatewayRuntime, getGraphQLWSOptions } from '@graphql-hive/gateway-runtime';
import type { FormattedExecutionResult } from 'graphql';
import { type Extra, useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';

export interface GraphQLWsEndpoint {
  /** Starts serving operations through the runtime; until then upgrades are answered 503. */
  attach(runtime: GatewayRuntime): void;
  close(): Promise<void>;
}

/**
 * graphql-ws on the GraphQL path of the gateway's HTTP server, executed by the Hive runtime's
 * envelop (same plugins as HTTP: JWT from `connectionParams.authorization`, signing, masking).
 */
export function serveGraphQLWs(server: Server, path: string): GraphQLWsEndpoint {
  const wss = new WebSocketServer({ noServer: true });
  let served: ReturnType<typeof useServer> | undefined;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const { pathname } = new URL(req.url ?? '/', 'http://gateway');
    if (pathname !== path || !served) {
      const status = pathname !== path ? '404 Not Found' : '503 Service Unavailable';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  return {
    attach(runtime) {
      const options = getGraphQLWSOptions<Record<string, unknown>, Extra>(runtime, (ctx) => ({
        req: ctx.extra?.request,
        socket: ctx.extra?.socket,
      }));
      served = useServer({ ...options, onNext: (_ctx, _id, _payload, _args, result) => withoutHttpExtension(result) }, wss);
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await served?.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** `extensions.http` (status codes for the HTTP layer) means nothing on a WebSocket: drop it. */
function withoutHttpExtension(result: FormattedExecutionResult): FormattedExecutionResult {
  if (!result.errors?.some((e) => e.extensions && 'http' in e.extensions)) return result;
  return {
    ...result,
    errors: result.errors.map((e) => {
      if (!e.extensions || !('http' in e.extensions)) return e;
      const { http: _http, ...extensions } = e.extensions;
      return { ...e, extensions };
    }),
  };
}
