/** Marks a retryable failure in an exited event's reason (the same mark as the Slurm executor's). */
export const RETRYABLE_MARK = '[retryable]';

export function isRetryableReason(reason: string): boolean {
  return reason.endsWith(RETRYABLE_MARK);
}

/** A Kubernetes API failure, in words, and whether trying again later may succeed. */
export interface ApiFailure {
  /** The HTTP status, when the API server answered. */
  status: number | null;
  /** The Status reason (`Forbidden`, `Invalid`, `AlreadyExists`, …) or the network error code. */
  reason: string;
  /** The API server's own message (or the network error's), unchanged. */
  message: string;
  retryable: boolean;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET']);
const STATUS_REASONS: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 408: 'Timeout', 409: 'Conflict',
  410: 'Gone', 422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout',
};

/**
 * Classifies an error from @kubernetes/client-node. Retryable: the API server is overloaded or
 * unreachable (429, 5xx, 408, connection refused/reset/timed out). Not retryable: what the request
 * itself got wrong or may not do (400, 401, 403, 404, 409, 422) — trying again changes nothing.
 */
export function classifyApiError(error: unknown): ApiFailure {
  const e = error as { code?: unknown; body?: unknown; message?: unknown; errno?: unknown; type?: unknown; cause?: { code?: unknown } };
  if (typeof e?.code === 'number') {
    const status = e.code;
    const body = parseStatusBody(e.body);
    const reason = body?.reason || STATUS_REASONS[status] || `HTTP${status}`;
    const message = body?.message || (typeof e.body === 'string' && e.body.trim() ? e.body.trim().slice(0, 500) : firstLine(e.message) || `HTTP ${status}`);
    return { status, reason, message, retryable: status === 408 || status === 429 || status >= 500 };
  }
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : '';
  const message = firstLine(e?.message) || String(error);
  if (NETWORK_CODES.has(code) || /socket hang up|ECONNREFUSED|ECONNRESET|network/i.test(message)) {
    return { status: null, reason: code || 'NetworkError', message, retryable: true };
  }
  return { status: null, reason: code || 'Error', message, retryable: false };
}

/** `403 Forbidden: jobs.batch is forbidden: …` or `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:6443`. */
export function describeApiFailure(failure: ApiFailure): string {
  return failure.status !== null ? `${failure.status} ${failure.reason}: ${failure.message}` : `${failure.reason}: ${failure.message}`;
}

export function statusOf(error: unknown): number | null {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : null;
}

function parseStatusBody(body: unknown): { reason?: string; message?: string } | null {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (value && typeof value === 'object') {
    const { reason, message } = value as { reason?: unknown; message?: unknown };
    return { reason: typeof reason === 'string' ? reason : undefined, message: typeof message === 'string' ? message : undefined };
  }
  return null;
}

function firstLine(value: unknown): string {
  return typeof value === 'string' ? value.split('\n')[0].trim() : '';
}
