/**
 * `budget.deadline`: an ISO 8601 timestamp with a time zone (`2026-05-01T18:00:00Z`,
 * `2026-05-01T20:00:00+02:00`), normalised to UTC with milliseconds (`2026-05-01T18:00:00.000Z`),
 * or a duration after submission (`90m`, `12h`, `2d`, `1h30m`, `3600s`: days, hours, minutes,
 * seconds in that order), normalised to whole seconds (`5400s`).
 */

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
/** Longest duration accepted: 10 years. */
const MAX_DURATION_SECONDS = 10 * 366 * 86400;

export type Deadline = { kind: 'timestamp'; at: Date } | { kind: 'duration'; seconds: number };

/** The deadline a string states, or an error message saying what is allowed. */
export function parseDeadline(text: string): Deadline | { error: string } {
  const allowed = 'an ISO 8601 timestamp with a time zone (2026-05-01T18:00:00Z) or a duration such as 90m, 12h, 2d, 1h30m or 3600s';
  const ts = TIMESTAMP.exec(text);
  if (ts) {
    const [, y, mo, d, h, mi, s = '0'] = ts;
    const at = new Date(text);
    const sameDay = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
    if (
      Number.isNaN(at.getTime()) ||
      sameDay.getUTCMonth() !== Number(mo) - 1 ||
      sameDay.getUTCDate() !== Number(d) ||
      Number(h) > 23 ||
      Number(mi) > 59 ||
      Number(s) > 59
    ) {
      return { error: `must be a real date and time, got ${JSON.stringify(text)}` };
    }
    return { kind: 'timestamp', at };
  }
  const du = text === '' ? null : DURATION.exec(text);
  if (du) {
    const [, d = '0', h = '0', m = '0', s = '0'] = du;
    const seconds = Number(d) * 86400 + Number(h) * 3600 + Number(m) * 60 + Number(s);
    if (seconds <= 0) return { error: `must be a duration longer than 0, got ${JSON.stringify(text)}` };
    if (seconds > MAX_DURATION_SECONDS) return { error: `must be a duration of at most 10 years, got ${JSON.stringify(text)}` };
    return { kind: 'duration', seconds };
  }
  return { error: `must be ${allowed}, got ${JSON.stringify(text)}` };
}

/** The normalised spelling of a valid deadline string. */
export function normalizeDeadline(text: string): string {
  const parsed = parseDeadline(text);
  if ('error' in parsed) throw new RangeError(`budget.deadline ${parsed.error}`);
  return parsed.kind === 'timestamp' ? parsed.at.toISOString() : `${parsed.seconds}s`;
}

/** When a spec's deadline falls for an experiment submitted at `submittedAt`; null without one. */
export function deadlineAt(deadline: string | undefined, submittedAt: Date): Date | null {
  if (deadline === undefined) return null;
  const parsed = parseDeadline(deadline);
  if ('error' in parsed) throw new RangeError(`budget.deadline ${parsed.error}`);
  return parsed.kind === 'timestamp' ? parsed.at : new Date(submittedAt.getTime() + parsed.seconds * 1000);
}
