import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

const gzipAsync = promisify(gzip);

export const GRAPHIQL_HEADER_HINT = 'Bearer <paste a token from: npx fairsweep token>';

/** The document GraphiQL opens with: a hello and worked examples (checked against the composed schema in a test). */
export const DEFAULT_QUERY = `# Fairsweep GraphQL API
#
# Queries need a token. Get one with \`npx fairsweep token\` and put it in the
# Headers tab below:  { "Authorization": "Bearer <token>" }
# Subscriptions run over graphql-ws on this same URL and use the same header.
# Without a token only introspection (the Docs panel) works.

query Hello {
  __typename
}

# Why are my trials waiting? Their place, expected start and each cause with its
# code and numbers (replace "demo" with your tenant).
query MyQueue {
  queue(tenant: "demo") {
    position trialId priority enqueuedAt estimatedStartAt pendingReason
    pendingDetails { code resource requested available inUse limit }
  }
  tenant(slug: "demo") {
    usage { cpus gpus memoryMb runningTrials queuedTrials }
    remaining { quotaVersion cpus gpus memoryMb concurrentTrials }
  }
}

# What a cohort lends and borrows, and the headroom it keeps (platform admins,
# or members of one of its tenants).
query MyCohorts {
  cohorts {
    name members
    policy { version lendingHeadroom { cpus gpus memoryMb } reason }
    balance { lent { cpus gpus } borrowed { cpus gpus } keptByCohort { cpus gpus } borrowable { cpus gpus } }
  }
}
`;

interface RenderedPage {
  html: Buffer;
  gzipped: Buffer;
  etag: string;
}

/** True for a browser asking for the GraphQL endpoint as a page. */
export function wantsGraphiQL(req: IncomingMessage, pathname: string, endpoint: string): boolean {
  return req.method === 'GET' && pathname === endpoint && (req.headers.accept ?? '').includes('text/html');
}

/**
 * Offline GraphiQL (everything inlined, no CDN). The page is ~9 MB, so it is rendered and
 * gzip-compressed once, on first use, and served with an ETag and a cache lifetime.
 */
export function createGraphiQLPage(endpoint: string): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  let page: Promise<RenderedPage> | undefined;
  const render = async (): Promise<RenderedPage> => {
    const html = Buffer.from(
      renderGraphiQL({
        title: 'Fairsweep GraphiQL',
        endpoint,
        subscriptionsProtocol: 'WS',
        headers: JSON.stringify({ Authorization: GRAPHIQL_HEADER_HINT }, null, 2),
        defaultEditorToolsVisibility: 'headers',
        defaultQuery: DEFAULT_QUERY,
      }),
      'utf8',
    );
    const etag = `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"`;
    return { html, gzipped: await gzipAsync(html, { level: 9 }), etag };
  };
  return async (req, res) => {
    page ??= render().catch((err: unknown) => {
      page = undefined;
      throw err;
    });
    const { html, gzipped, etag } = await page;
    const headers: Record<string, string> = {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'public, max-age=3600',
      etag,
      vary: 'Accept-Encoding',
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers).end();
      return;
    }
    const gz = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gz ? gzipped : html;
    res.writeHead(200, { ...headers, ...(gz ? { 'content-encoding': 'gzip' } : {}), 'content-length': String(body.length) });
    res.end(body);
  };
}
