import type { GraphQLFormattedError } from 'graphql';
import { FairsweepError } from './errors.js';

/** Codes that Apollo/graphql-js itself produces for malformed requests; passed through as-is. */
const PASSTHROUGH = new Set([
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE', 'BAD_REQUEST', 'UNAUTHENTICATED', 'FORBIDDEN',
]);

/**
 * The one error boundary of a subgraph: domain errors keep their code, message and details;
 * anything unexpected is logged and masked.
 */
export function createErrorFormatter(service: string, log: (msg: string, err: unknown) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = (error as { originalError?: unknown } | undefined)?.originalError ?? error;
    if (original instanceof FairsweepError) {
      return {
        message: original.message,
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: original.code, service, ...original.details },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && PASSTHROUGH.has(code)) return formatted;
    // class-validator argument errors raised by type-graphql
    if (original instanceof Error && original.name === 'ArgumentValidationError') {
      return { ...formatted, extensions: { code: 'INVALID_INPUT', service } };
    }
    log(`${service}: unexpected error`, original);
    return {
      message: `internal error in ${service}`,
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR', service },
    };
  };
}
