import { SIGNATURE_EXTENSION, signUpstream } from '@fairsweep/auth';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { defaultPrintFn } from '@graphql-tools/executor-common';
import { claimsOf } from './jwt-auth.plugin.js';

/**
 * Signs every request the gateway sends to a subgraph — HTTP queries and mutations, entity
 * fetches and graphql-ws subscriptions alike — with the caller's verified claims:
 * `extensions.fairsweep = signUpstream(secret, { query, variables, claims })`.
 *
 * The query is printed with the transports' own printer (`defaultPrintFn`), so the subgraph
 * verifies exactly the text it receives. This plugin must come after every plugin that changes the
 * execution request. Client-sent `extensions.headers` (GraphiQL puts the bearer token there) are
 * dropped so the raw token never reaches a subgraph.
 */
export function useUpstreamSigning(secret: string): GatewayPlugin {
  return {
    onSubgraphExecute({ executionRequest, setExecutionRequest }) {
      const claims = claimsOf(executionRequest.context);
      const query = defaultPrintFn(executionRequest.document);
      const variables = executionRequest.variables ?? {};
      const { headers: _clientHeaders, ...extensions } = (executionRequest.extensions ?? {}) as Record<string, unknown>;
      setExecutionRequest({
        ...executionRequest,
        extensions: { ...extensions, [SIGNATURE_EXTENSION]: signUpstream(secret, { query, variables, claims }) },
      });
    },
  };
}
