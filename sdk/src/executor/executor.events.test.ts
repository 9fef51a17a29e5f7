import { consoleExecutorLog, ExecutorEventHub, submitGate, type ExecutorLog } from './executor.events.js';
import type { ExecutorEvent } from './executor.types.js';

const event: ExecutorEvent = { type: 'log', attemptId: 'a1', at: new Date(0), stream: 'stdout', line: 'hi' };

describe('executor event hub', () => {
  it('gives each event to every listener until it unsubscribes; a listener that throws is logged, not fatal', () => {
    const reported: unknown[][] = [];
    const log: ExecutorLog = { warn: (m) => reported.push(['warn', m]), error: (m, e) => reported.push(['error', m, e]) };
    const hub = new ExecutorEventHub(log);
    const seen: string[] = [];
    const boom = new Error('boom');
    hub.onEvent(() => {
      throw boom;
    });
    const off = hub.onEvent((e) => seen.push(e.type));
    hub.emit(event);
    off();
    hub.emit(event);
    expect(seen).toEqual(['log']);
    expect(reported).toEqual([['error', 'an event listener threw on a log event', boom], ['error', 'an event listener threw on a log event', boom]]);
  });

  it('logs to the console with the source as prefix when no log is given', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const log = consoleExecutorLog('executor-x');
      const failure = new Error('down');
      log.warn('watch failed; retrying');
      log.error('poll failed', failure);
      log.error('gave up');
      expect(warn.mock.calls).toEqual([['[executor-x] watch failed; retrying']]);
      expect(error.mock.calls).toEqual([['[executor-x] poll failed:', failure], ['[executor-x] gave up']]);
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
  });
});

describe('submitGate', () => {
  it('answers a repeated submit with the first promise, refuses new attempts once closed, lets new ones through', async () => {
    const first = Promise.resolve();
    expect(submitGate('x', 'a1', first, true)).toBe(first);
    await expect(submitGate('x', 'a2', undefined, true)).rejects.toThrow('executor "x": closed; cannot submit attempt a2');
    expect(submitGate('x', 'a3', undefined, false)).toBeUndefined();
  });
});
