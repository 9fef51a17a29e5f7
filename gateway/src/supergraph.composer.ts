import { composeServices } from '@theguild/federation-composition';
import { type GraphQLError, parse } from 'graphql';
import type { GatewayLogger, SubgraphEndpoint } from './gateway.config.js';
import { fetchSubgraphSdl } from './subgraph-sdl.fetcher.js';

export const DEFAULT_COMPOSITION_TIMEOUT_MS = 60_000;

export interface ComposeOptions {
  subgraphs: SubgraphEndpoint[];
  secret: string;
  timeoutMs?: number;
  logger: GatewayLogger;
}

export class CompositionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CompositionError';
  }
}

/**
 * Fetches every subgraph's SDL (signed, waiting for late subgraphs) and composes the supergraph.
 * Throws CompositionError with one line per problem, each naming the subgraph(s) involved.
 */
export async function composeSupergraph(opts: ComposeOptions): Promise<string> {
  const deadline = Date.now() + (opts.timeoutMs ?? DEFAULT_COMPOSITION_TIMEOUT_MS);
  const stop = new AbortController();
  const settled = await Promise.allSettled(
    opts.subgraphs.map((s) =>
      fetchSubgraphSdl(s, { secret: opts.secret, deadline, logger: opts.logger, signal: stop.signal }).catch((err: unknown) => {
        stop.abort(err); // one subgraph cannot be composed: stop waiting for the others
        throw err;
      }),
    ),
  );
  // Aborted fetches reject with the first failure itself: report each distinct failure once.
  const reasons = new Set(settled.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : [])));
  const failures = [...reasons].map((r) => (r instanceof Error ? r.message : String(r)));
  if (failures.length) {
    throw new CompositionError(`supergraph composition failed:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  }
  const services = opts.subgraphs.map((s, i) => {
    const sdl = (settled[i] as PromiseFulfilledResult<string>).value;
    try {
      return { name: s.name, url: s.url, typeDefs: parse(sdl) };
    } catch (err) {
      throw new CompositionError(`supergraph composition failed:\n  - [${s.name}] its SDL does not parse: ${(err as Error).message}`);
    }
  });
  const result = composeServices(services);
  if (result.errors) {
    throw new CompositionError(formatCompositionErrors(result.errors, opts.subgraphs.map((s) => s.name)));
  }
  opts.logger.info(`supergraph composed from ${opts.subgraphs.map((s) => s.name).join(', ')}`);
  return result.supergraphSdl;
}

/** `supergraph composition failed (2 errors):\n  - [a, b] FIELD_TYPE_MISMATCH: Type of field …`. */
export function formatCompositionErrors(errors: readonly GraphQLError[], subgraphNames: string[]): string {
  const lines = errors.map((e) => {
    const involved = subgraphNames.filter((n) => mentions(e.message, n));
    const code = typeof e.extensions?.code === 'string' ? `${e.extensions.code}: ` : '';
    return `  - [${involved.length ? involved.join(', ') : 'supergraph'}] ${code}${e.message}`;
  });
  return `supergraph composition failed (${errors.length} error${errors.length === 1 ? '' : 's'}):\n${lines.join('\n')}`;
}

function mentions(message: string, name: string): boolean {
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`"${n}"|\\[${n}\\]`).test(message);
}
