import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import httpTransport from '@graphql-mesh/transport-http';
import wsTransport from '@graphql-mesh/transport-ws';
import { parse } from 'graphql';
import { maskGatewayError } from './error.masking.js';
import type { GatewayJwtConfig, GatewayLogger, SubgraphEndpoint } from './gateway.config.js';
import { hiveLoggerFor } from './gateway.logger.js';
import { jwtAuthPlugins } from './jwt-auth.plugin.js';
import { useUpstreamSigning } from './upstream-signing.plugin.js';

export const GRAPHQL_ENDPOINT = '/graphql';

/**
 * Subscriptions go to the subgraph's GraphQL path over graphql-ws. The upstream socket is shared
 * by every subscription to that subgraph and closed as soon as the last one ends (the transport's
 * default keeps it 3 s, and graphql-ws' dispose() does not clear that timer, delaying shutdown).
 */
function wsSubscriptions(subgraphUrl: string) {
  return { kind: 'ws', location: new URL(subgraphUrl).pathname, options: { lazyCloseTimeout: 0 } };
}

export interface RuntimeOptions {
  supergraphSdl: string;
  subgraphs: SubgraphEndpoint[];
  upstreamSecret: string;
  jwt: GatewayJwtConfig;
  logger: GatewayLogger;
}

/**
 * The Hive Gateway runtime over a supergraph composed at start-up. Queries and mutations go to the
 * subgraphs over HTTP; subscriptions go to the owning subgraph over graphql-ws on its GraphQL path
 * (Apollo Server subgraphs do not speak SSE). Plugin order matters: verify the JWT, gate anonymous
 * data access, then sign — signing must see the final upstream request.
 * GraphiQL and the landing page are served by the gateway's own HTTP layer (offline page).
 */
export function createRuntime(opts: RuntimeOptions): GatewayRuntime {
  return createGatewayRuntime({
    supergraph: parse(opts.supergraphSdl, { noLocation: true }),
    transports: { http: httpTransport, ws: wsTransport },
    transportEntries: Object.fromEntries(opts.subgraphs.map((s) => [s.name, { options: { subscriptions: wsSubscriptions(s.url) } }])),
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    logging: hiveLoggerFor(opts.logger),
    graphiql: false,
    landingPage: false,
    maskedErrors: { maskError: (error, message) => maskGatewayError(error, message) },
    plugins: () => [...jwtAuthPlugins(opts.jwt), useUpstreamSigning(opts.upstreamSecret)],
  });
}
