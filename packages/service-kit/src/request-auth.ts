import type { NextFunction, Request, Response } from 'express';
import { type Principal, SignatureError, verifyUpstream } from '@fairsweep/auth';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/**
 * Express middleware in front of a subgraph's GraphQL endpoint: only POST requests signed by the
 * gateway pass; anything else is answered 401 before GraphQL sees it (no parse, no validation).
 */
export function requireGatewaySignature(secret: string, validityMs?: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const body = (req.body ?? {}) as { query?: unknown; variables?: unknown; extensions?: unknown };
    try {
      if (req.method !== 'POST') throw new SignatureError('only signed POST requests from the gateway are accepted');
      req.principal = verifyUpstream(
        secret,
        {
          query: typeof body.query === 'string' ? body.query : undefined,
          variables: (body.variables as Record<string, unknown> | null | undefined) ?? {},
          extensions: (body.extensions as Record<string, unknown> | undefined) ?? {},
        },
        validityMs === undefined ? {} : { validityMs },
      );
      next();
    } catch (err) {
      const message = err instanceof SignatureError ? err.message : 'invalid request';
      res.status(401).json({ errors: [{ message: `unauthenticated: ${message}`, extensions: { code: 'UNAUTHENTICATED' } }] });
    }
  };
}
