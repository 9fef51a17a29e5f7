import { SIGNATURE_EXTENSION, signUpstream } from '@fairsweep/auth';
import type { GatewayLogger, SubgraphEndpoint } from './gateway.config.js';
import { errorText } from './gateway.logger.js';

/** The query the gateway sends each subgraph at start-up; signed as the "composition" system caller. */
export const SERVICE_SDL_QUERY = 'query __ComposeSubgraph { _service { sdl } }';

const ATTEMPT_TIMEOUT_MS = 5_000;
const MAX_BACKOFF_MS = 2_000;
const LOG_EVERY_MS = 5_000;

export interface SdlFetchOptions {
  secret: string;
  /** Epoch ms after which waiting for an unreachable subgraph stops. */
  deadline: number;
  logger: GatewayLogger;
  signal?: AbortSignal;
}

/** The subgraph answered, but not with an SDL: retrying will not help (bad secret, not a subgraph…). */
export class SubgraphRefusedError extends Error {}

/** Fetches `{ _service { sdl } }`, waiting with backoff while the subgraph is unreachable or 5xx. */
export async function fetchSubgraphSdl(subgraph: SubgraphEndpoint, opts: SdlFetchOptions): Promise<string> {
  let attempt = 0;
  let lastLog = 0;
  for (;;) {
    opts.signal?.throwIfAborted();
    let reason: string;
    try {
      return await fetchOnce(subgraph, opts.secret, opts.signal);
    } catch (err) {
      if (err instanceof SubgraphRefusedError || opts.signal?.aborted) throw err;
      reason = errorText(err);
    }
    const wait = Math.min(250 * 2 ** attempt, MAX_BACKOFF_MS);
    attempt += 1;
    if (Date.now() + wait > opts.deadline) {
      throw new Error(`subgraph "${subgraph.name}" (${subgraph.url}) was not reachable before the composition timeout: ${reason}`);
    }
    if (Date.now() - lastLog >= LOG_EVERY_MS) {
      lastLog = Date.now();
      opts.logger.warn(`waiting for subgraph "${subgraph.name}" at ${subgraph.url}: ${reason}`);
    }
    await sleep(wait, opts.signal);
  }
}

async function fetchOnce(subgraph: SubgraphEndpoint, secret: string, signal?: AbortSignal): Promise<string> {
  const body = {
    query: SERVICE_SDL_QUERY,
    variables: {},
    extensions: {
      [SIGNATURE_EXTENSION]: signUpstream(secret, { query: SERVICE_SDL_QUERY, variables: {}, claims: null, system: 'composition' }),
    },
  };
  const timeout = AbortSignal.timeout(ATTEMPT_TIMEOUT_MS);
  const res = await fetch(subgraph.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
  });
  const text = await res.text();
  if (res.status === 502 || res.status === 503 || res.status === 504) {
    throw new Error(`HTTP ${res.status}`);
  }
  let json: { data?: { _service?: { sdl?: unknown } }; errors?: { message?: string }[] } | undefined;
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    json = undefined;
  }
  const sdl = json?.data?._service?.sdl;
  if (res.ok && typeof sdl === 'string' && !json?.errors?.length) return sdl;
  const messages = (json?.errors ?? []).map((e) => e.message).filter(Boolean).join('; ');
  const detail = messages || (json ? 'no _service.sdl in the response' : `non-JSON response: ${text.slice(0, 200)}`);
  const hint = res.status === 401 ? ' (is FAIRSWEEP_UPSTREAM_SECRET the same on the gateway and the subgraph?)' : '';
  throw new SubgraphRefusedError(
    `subgraph "${subgraph.name}" (${subgraph.url}) refused the composition request, HTTP ${res.status}: ${detail}${hint}`,
  );
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
