import { GraphQLError, type GraphQLErrorExtensions } from 'graphql';
import { unauthenticated } from './bearer-token.lookup.js';

export const UNEXPECTED_ERROR_MESSAGE = 'Unexpected error.';

/**
 * The gateway's error mask (Yoga `maskedErrors.maskError`, applied on HTTP and graphql-ws):
 * - useJWT's bare "Unauthenticated" (signature did not verify) becomes a 401 that says so;
 * - a subgraph that cannot be reached becomes SERVICE_UNAVAILABLE naming the service, without
 *   its address or the signed upstream request the runtime attaches;
 * - GraphQL errors raised as such — ours and the subgraphs', with their `extensions.code` — pass,
 *   except a subgraph's INTERNAL_SERVER_ERROR, whose text is replaced (defence in depth);
 * - anything else (a crash) becomes "Unexpected error." with code INTERNAL_SERVER_ERROR; the
 *   runtime logs the original, the client never sees it.
 */
export function maskGatewayError(error: unknown, message: string = UNEXPECTED_ERROR_MESSAGE): Error {
  const rejected = jwtRejection(error);
  if (rejected) return rejected;
  const base = error instanceof GraphQLError ? error : undefined;
  const { request: _req, response: _res, ...extensions } = (base?.extensions ?? {}) as GraphQLErrorExtensions;
  if (extensions.code === 'SUBREQUEST_HTTP_ERROR') {
    const service = typeof extensions.serviceName === 'string' ? extensions.serviceName : 'a subgraph';
    return rebuild(base, `The ${service} service is unavailable, try again shortly`, { code: 'SERVICE_UNAVAILABLE', serviceName: service });
  }
  if (isOriginalGraphQLError(error)) {
    if (extensions.code === 'INTERNAL_SERVER_ERROR' && error.message !== UNEXPECTED_ERROR_MESSAGE) {
      return rebuild(error, UNEXPECTED_ERROR_MESSAGE, extensions);
    }
    const leaksUpstream = 'request' in error.extensions || 'response' in error.extensions;
    return leaksUpstream ? rebuild(error, error.message, extensions) : error;
  }
  const http = extensions.http;
  return rebuild(base, message || UNEXPECTED_ERROR_MESSAGE, { code: 'INTERNAL_SERVER_ERROR', ...(http ? { http } : {}) });
}

function rebuild(from: GraphQLError | undefined, message: string, extensions: GraphQLErrorExtensions): GraphQLError {
  return new GraphQLError(message, {
    nodes: from?.nodes,
    source: from?.source,
    positions: from?.positions,
    path: from?.path,
    extensions,
  });
}

function isOriginalGraphQLError(error: unknown): error is GraphQLError {
  if (!(error instanceof GraphQLError)) return false;
  return error.originalError == null || isOriginalGraphQLError(error.originalError);
}

/** useJWT rejects a token whose signature (or claim) fails with a code-less 401 "Unauthenticated". */
function jwtRejection(error: unknown): GraphQLError | undefined {
  if (!(error instanceof Error)) return undefined;
  const inner = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  if (inner instanceof GraphQLError && !inner.extensions?.code) {
    const status = (inner.extensions?.http as { status?: number } | undefined)?.status;
    if (status === 401 && inner.message === 'Unauthenticated') {
      return unauthenticated('Invalid token: signature verification failed (signed by another key, or altered)');
    }
    if (status === 400 && /authentication token|JWT/i.test(inner.message)) {
      return unauthenticated(`Invalid token: ${inner.message}`);
    }
  }
  if (inner.message === 'Authentication is not available at the moment.') {
    return unauthenticated('Invalid token: no signing key is available for it (unknown key id, or the JWKS endpoint is unreachable)');
  }
  return undefined;
}
