export {
  type GatewayConfig,
  type GatewayJwtConfig,
  type GatewayLogger,
  type SubgraphEndpoint,
  GatewayConfigError,
  gatewayConfigFromEnv,
  parseSubgraphList,
  validateGatewayConfig,
} from './gateway.config.js';
export { type RunningGateway, startGateway } from './gateway.server.js';
export { CompositionError, formatCompositionErrors } from './supergraph.composer.js';
export { SERVICE_SDL_QUERY } from './subgraph-sdl.fetcher.js';
export { GRAPHQL_ENDPOINT } from './runtime.factory.js';
