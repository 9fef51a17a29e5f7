import type { ServerResponse } from 'node:http';
import type { SubgraphEndpoint } from './gateway.config.js';
import { errorText } from './gateway.logger.js';

const PROBE_TIMEOUT_MS = 2_000;

export interface UnreadySubgraph {
  name: string;
  url: string;
  reason: string;
}

/** `http://h:p/graphql` → `http://h:p/healthz` (the subgraph's own health endpoint). */
export function subgraphHealthUrl(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  url.pathname = `${url.pathname.replace(/\/graphql\/?$/, '').replace(/\/$/, '')}/healthz`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

export async function probeSubgraphs(subgraphs: SubgraphEndpoint[]): Promise<UnreadySubgraph[]> {
  const results = await Promise.all(
    subgraphs.map(async (s): Promise<UnreadySubgraph | undefined> => {
      const url = subgraphHealthUrl(s.url);
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
        await res.arrayBuffer();
        return res.ok ? undefined : { name: s.name, url, reason: `HTTP ${res.status}` };
      } catch (err) {
        return { name: s.name, url, reason: errorText(err) };
      }
    }),
  );
  return results.filter((r): r is UnreadySubgraph => r !== undefined);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

/** GET /healthz: the process is up and serving HTTP. */
export function sendLiveness(res: ServerResponse): void {
  sendJson(res, 200, { status: 'alive' });
}

/** GET /readyz: 200 only once the supergraph is composed and every subgraph's /healthz answers 2xx. */
export async function sendReadiness(res: ServerResponse, composed: boolean, subgraphs: SubgraphEndpoint[]): Promise<void> {
  const unready = await probeSubgraphs(subgraphs);
  if (composed && unready.length === 0) {
    sendJson(res, 200, { status: 'ready', subgraphs: subgraphs.map((s) => s.name) });
    return;
  }
  sendJson(res, 503, {
    status: 'unready',
    composed,
    unready: unready.map((u) => u.name),
    reasons: Object.fromEntries(unready.map((u) => [u.name, u.reason])),
  });
}
