import { ClaimsError, claimsFromPayload, type FairsweepClaims } from '@fairsweep/auth';
import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import {
  createInlineSigningKeyProvider,
  createRemoteJwksSigningKeyProvider,
  type GetSigningKeyFunction,
  useJWT,
} from '@graphql-mesh/plugin-jwt-auth';
import type { ExecutionResult } from 'graphql';
import { createBearerTokenLookup, unauthenticated } from './bearer-token.lookup.js';
import type { GatewayJwtConfig } from './gateway.config.js';
import { touchesData } from './operation.inspect.js';

/** What useJWT puts in the GraphQL context once a token verified. */
export interface VerifiedJwt {
  payload: unknown;
}

const claimsByContext = new WeakMap<object, FairsweepClaims>();

/** The caller's Fairsweep claims for a context whose JWT verified; throws 401 when there is none. */
export function claimsOf(context: unknown): FairsweepClaims {
  if (context && typeof context === 'object') {
    const cached = claimsByContext.get(context);
    if (cached) return cached;
    const jwt = (context as { jwt?: VerifiedJwt }).jwt;
    if (jwt?.payload) return claimsFromPayload(jwt.payload);
  }
  throw unauthenticated('Authentication required: no verified token for this operation');
}

/**
 * JWT verification (useJWT, RS256 with a PEM or JWKS; issuer and audience when configured) followed
 * by the gate: anonymous callers may introspect; any operation that selects data needs a verified
 * token with well-formed Fairsweep claims, otherwise UNAUTHENTICATED (HTTP 401).
 * The raw token and payload are not forwarded: subgraphs get the signed claims instead.
 */
export function jwtAuthPlugins(jwt: GatewayJwtConfig): GatewayPlugin[] {
  const provider: GetSigningKeyFunction = jwt.publicKeyPem
    ? createInlineSigningKeyProvider(jwt.publicKeyPem)
    : createRemoteJwksSigningKeyProvider({ jwksUri: jwt.jwksUri!, cache: true, rateLimit: true });
  const verifyJwt = useJWT({
    signingKeyProviders: [provider],
    tokenLookupLocations: [createBearerTokenLookup({ issuer: jwt.issuer, audience: jwt.audience })],
    tokenVerification: {
      algorithms: ['RS256'],
      ...(jwt.issuer ? { issuer: jwt.issuer } : {}),
      ...(jwt.audience ? { audience: jwt.audience } : {}),
    },
    reject: { missingToken: false, invalidToken: true },
    forward: { payload: false, token: false },
  });
  return [verifyJwt as GatewayPlugin, useRequireAuthentication()];
}

function useRequireAuthentication(): GatewayPlugin {
  const check = (document: Parameters<typeof touchesData>[0], operationName: string | null | undefined, context: object): ExecutionResult | undefined => {
    const jwt = (context as { jwt?: VerifiedJwt }).jwt;
    if (!jwt?.payload) {
      if (!touchesData(document, operationName)) return undefined;
      return {
        errors: [
          unauthenticated(
            'Authentication required: send "Authorization: Bearer <token>" (HTTP) or the connection parameter ' +
              '"authorization" (graphql-ws). Get a token with `npx fairsweep token`.',
          ),
        ],
      };
    }
    try {
      claimsByContext.set(context, claimsFromPayload(jwt.payload));
      return undefined;
    } catch (err) {
      if (err instanceof ClaimsError) return { errors: [unauthenticated(`Invalid token claims: ${err.message}`)] };
      throw err;
    }
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const result = check(args.document, args.operationName, args.contextValue as object);
      if (result) setResultAndStopExecution(result);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const result = check(args.document, args.operationName, args.contextValue as object);
      if (result) setResultAndStopExecution(result);
    },
  };
}
