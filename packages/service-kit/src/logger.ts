/** Minimal structured logger: one line per event, prefixed by the component. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, err?: unknown): void;
}

export function createLogger(component: string, sink: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const level = process.env.FAIRSWEEP_LOG_LEVEL ?? 'info';
  const fmt = (lvl: string, msg: string, fields?: Record<string, unknown>) =>
    `${new Date().toISOString()} ${lvl.padEnd(5)} [${component}] ${msg}${fields && Object.keys(fields).length ? ' ' + JSON.stringify(fields) : ''}`;
  return {
    info: (msg, fields) => { if (level !== 'warn' && level !== 'error' && level !== 'silent') sink(fmt('info', msg, fields)); },
    warn: (msg, fields) => { if (level !== 'error' && level !== 'silent') sink(fmt('warn', msg, fields)); },
    error: (msg, err) => {
      if (level === 'silent') return;
      const detail = err instanceof Error ? (err.stack ?? err.message) : err === undefined ? '' : String(err);
      sink(fmt('error', msg) + (detail ? `\n${detail}` : ''));
    },
  };
}
