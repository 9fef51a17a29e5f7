import type { ExecutorEvent } from './executor.types.js';

/**
 * Where an executor reports its own problems (a listener that threw, a failed poll, a watch being
 * retried): not trial output, which goes out as `log` events. A platform passes its logger (a
 * `{ warn, error }` logger such as compute's fits); without one, `consoleExecutorLog`.
 */
export interface ExecutorLog {
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

/** An `ExecutorLog` on the console: `[<source>] <message>`, then `:` and the error when there is one. */
export function consoleExecutorLog(source: string): ExecutorLog {
  return {
    warn: (message) => console.warn(`[${source}] ${message}`),
    error: (message, error) => (error === undefined ? console.error(`[${source}] ${message}`) : console.error(`[${source}] ${message}:`, error)),
  };
}

/**
 * The listeners of an executor's events (`Executor.onEvent`). `emit` gives an event to each
 * listener; one that throws is reported to the log and the others still get the event.
 */
export class ExecutorEventHub {
  private readonly listeners = new Set<(event: ExecutorEvent) => void>();

  constructor(private readonly log: ExecutorLog) {}

  readonly emit = (event: ExecutorEvent): void => {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.log.error(`an event listener threw on a ${event.type} event`, error);
      }
    }
  };

  /** `Executor.onEvent`: subscribes; returns the unsubscribe function. */
  readonly onEvent = (listener: (event: ExecutorEvent) => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };
}

/**
 * The rule every `submit` starts with. The same attempt submitted again gets the first submit's
 * promise (`submit` is idempotent, also after `close`); a new attempt once the executor is closed
 * is refused: `executor "<name>": closed; cannot submit attempt <attemptId>`. `undefined`: a new
 * attempt on an open executor; start it.
 */
export function submitGate(executor: string, attemptId: string, earlier: Promise<void> | undefined, closed: boolean): Promise<void> | undefined {
  if (earlier) return earlier;
  if (closed) return Promise.reject(new Error(`executor "${executor}": closed; cannot submit attempt ${attemptId}`));
  return undefined;
}
