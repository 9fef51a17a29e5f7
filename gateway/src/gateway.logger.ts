import { Logger, type LogLevel } from '@graphql-hive/gateway-runtime';
import type { GatewayLogger } from './gateway.config.js';

/** One line per event on stderr; FAIRSWEEP_LOG_LEVEL=warn|error|silent quietens it. */
export function defaultGatewayLogger(sink: (line: string) => void = (l) => process.stderr.write(l + '\n')): GatewayLogger {
  const level = process.env.FAIRSWEEP_LOG_LEVEL ?? 'info';
  const rank = rankOf(level);
  const line = (lvl: string, msg: string) => `${new Date().toISOString()} ${lvl.padEnd(5)} [gateway] ${msg}`;
  return {
    info: (msg) => { if (rank <= 1) sink(line('info', msg)); },
    warn: (msg) => { if (rank <= 2) sink(line('warn', msg)); },
    error: (msg) => { if (rank <= 3) sink(line('error', msg)); },
  };
}

function rankOf(level: string): number {
  return { debug: 0, info: 1, warn: 2, error: 3, silent: 4 }[level] ?? 1;
}

/**
 * The Hive runtime logs through `@graphql-hive/logger`; route its warnings and errors to ours.
 * Info/debug chatter of the runtime stays off unless FAIRSWEEP_LOG_LEVEL=debug.
 */
export function hiveLoggerFor(logger: GatewayLogger): Logger {
  const level: LogLevel = process.env.FAIRSWEEP_LOG_LEVEL === 'debug' ? 'debug' : 'warn';
  return new Logger({
    level,
    writers: [
      {
        write(lvl, attrs, msg) {
          const text = `[runtime] ${msg ?? ''}${formatAttrs(attrs)}`;
          // A rejected client credential is logged by the runtime as an error: it is not ours.
          if (lvl === 'error' && text.includes('"status":401')) logger.warn(text);
          else if (lvl === 'error') logger.error(text);
          else if (lvl === 'warn') logger.warn(text);
          else logger.info(text);
        },
      },
    ],
  });
}

function formatAttrs(attrs: unknown): string {
  if (attrs == null) return '';
  if (attrs instanceof Error) return ` ${attrs.message}`;
  try {
    let json = JSON.stringify(attrs, (k, v: unknown) => {
      if (v instanceof Error) return { name: v.name, message: v.message };
      return k === 'stack' && typeof v === 'string' ? v.split('\n')[0] : v;
    });
    if (!json || json === '{}' || json === '[]') return '';
    // Upstream request bodies carry a (short-lived) gateway signature: keep it out of the logs.
    json = json.replace(/(\\?"sig\\?":\\?")[A-Za-z0-9_-]+/g, '$1[redacted]');
    return ` ${json.length > 1000 ? `${json.slice(0, 1000)}…` : json}`;
  } catch {
    return '';
  }
}

/** Readable text of anything thrown. */
export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error && !err.message.includes(cause.message) ? `${err.message} (${cause.message})` : err.message;
  }
  return String(err);
}
