/**
 * GPU-hour accounts in virtual time for the ETA replay (replay.ts), for one kind of budget
 * (tenants', or projects' keyed tenant/project). Pure.
 *
 * An account is its base (what attempts used up to now and may still use, as budget.reader.ts
 * reads it) plus what attempts use in the replay. Consumption then follows the budget's window as
 * admission reads it:
 * - decay (half-life H): a GPU-hour used at time u counts 2^(−(t−u)/H) at time t, so the base
 *   and every interval fade, and a tenant that spent its budget starts again once its decayed
 *   use falls far enough (`recoveryAt` gives that moment as a replay event);
 * - reset periods: consumption restarts from zero at each period boundary ahead (`resetsAtSec`),
 *   counting only the part of an attempt's run after the last one;
 * - neither known: consumption only grows.
 * Commitments (what running attempts may still use, the worst case) are not decayed, as admission
 * counts them; an attempt running now shrinks the base commitment as it runs on.
 */
import type { BudgetState } from '../admission/admission.types.js';
import { DECAY_HORIZON_HALF_LIVES } from '../usage/budget.reader.js';

/** An attempt as the accounts see it: when it runs (virtual seconds; start ≤ 0 for attempts running now) and what it may use. */
export interface BudgetedAttempt {
  gpus: number;
  startSec: number;
  endSec: number;
  maxRuntimeSeconds?: number | null;
  /** It was running when the replay began: its use so far and its commitment are in the base account. */
  inBase?: boolean;
}

/** How an account changes with time besides use. */
export type BudgetClock = { halfLifeHours: number } | { resetsAtSec: readonly number[] } | null;

interface Account {
  /** Consumption of attempts that ended in the replay, valued at `anchor`. */
  value: number;
  anchor: number;
  /** GPU-hours of the base commitment given back by attempts running now that ended in the replay. */
  commitGone: number;
  /** The base consumption still counts (no reset passed since now). */
  baseCounts: boolean;
  /** When the last attempt that ended in the replay ended (decay: its use drops out of the reader's window 20 half-lives later). */
  lastEnd: number;
}

/**
 * `gpus` held over [s, e] as they count at time `at` (e ≤ at) under a half-life (all in the same
 * unit of time): ∫ 2^(−(at − u)/h) du, budget.reader.ts's closed form. GPU-time, in that unit.
 */
export function decayedUse(gpus: number, s: number, e: number, at: number, halfLife: number): number {
  return gpus * (halfLife / Math.LN2) * (2 ** (-(at - e) / halfLife) - 2 ** (-(at - s) / halfLife));
}

export class ReplayBudgets<A extends BudgetedAttempt> {
  private readonly accounts = new Map<string, Account>();

  constructor(
    private readonly base: ReadonlyMap<string, BudgetState>,
    private readonly keyOf: (a: A) => string | null,
    private readonly clockOf: (key: string) => BudgetClock = () => null,
  ) {
    for (const key of base.keys()) this.accounts.set(key, { value: 0, anchor: 0, commitGone: 0, baseCounts: true, lastEnd: -Infinity });
  }

  /** Whether the account decays or resets (otherwise only use changes it). */
  clocked(key: string): boolean {
    return this.clockOf(key) !== null;
  }

  /** Whether the account decays (its use fades with a half-life). */
  decays(key: string): boolean {
    const clock = this.clockOf(key);
    return clock !== null && 'halfLifeHours' in clock;
  }

  /** The last reset at or before t, or null. */
  private lastReset(clock: BudgetClock, t: number): number | null {
    if (!clock || !('resetsAtSec' in clock)) return null;
    let last: number | null = null;
    for (const r of clock.resetsAtSec) if (r <= t + 1e-9) last = r;
    return last;
  }

  /** GPU-hours `gpus` used over [s, e] count at time t (s ≥ 0, e ≤ t), under `clock`; `since`: the last reset. */
  private intervalAt(clock: BudgetClock, gpus: number, s: number, e: number, t: number, since: number | null): number {
    if (clock && 'halfLifeHours' in clock) {
      return decayedUse(gpus, s, e, t, clock.halfLifeHours * 3600) / 3600;
    }
    const from = since === null ? s : Math.max(s, since);
    return (gpus * Math.max(e - from, 0)) / 3600;
  }

  /** Moves an account's ended-attempt value forward to t (decay fades it; a reset passed clears it). */
  private advance(key: string, acc: Account, t: number): void {
    if (t <= acc.anchor) return;
    const clock = this.clockOf(key);
    if (clock && 'halfLifeHours' in clock) acc.value *= 2 ** (-(t - acc.anchor) / (clock.halfLifeHours * 3600));
    else {
      const r = this.lastReset(clock, t);
      if (r !== null && r > acc.anchor) acc.value = 0;
      if (r !== null) acc.baseCounts = false;
    }
    acc.anchor = t;
  }

  /** Records an attempt that ended in the replay, at virtual time t (its end ≤ t). */
  ended(a: A, t: number): void {
    const key = this.keyOf(a);
    const acc = key === null || a.gpus === 0 ? undefined : this.accounts.get(key);
    if (!acc) return;
    this.advance(key!, acc, t);
    const clock = this.clockOf(key!);
    acc.value += this.intervalAt(clock, a.gpus, Math.max(a.startSec, 0), a.endSec, t, this.lastReset(clock, t));
    acc.lastEnd = Math.max(acc.lastEnd, a.endSec);
    if (a.inBase) acc.commitGone += (a.gpus * Math.max((a.maxRuntimeSeconds ?? 0) + a.startSec, 0)) / 3600;
  }

  /** Every account at virtual time t, with the attempts running then. */
  at(t: number, live: readonly A[]): Map<string, BudgetState> {
    const out = new Map<string, BudgetState>();
    for (const [key, b] of this.base) {
      const acc = this.accounts.get(key)!;
      this.advance(key, acc, t);
      const clock = this.clockOf(key);
      let base = acc.baseCounts ? b.consumedGpuHours : 0;
      let value = acc.value;
      if (clock && 'halfLifeHours' in clock) {
        // As budget.reader.ts reads it: faded, and gone once out of its window of 20 half-lives.
        const window = DECAY_HORIZON_HALF_LIVES * clock.halfLifeHours * 3600;
        base = t >= window ? 0 : b.consumedGpuHours * 2 ** (-t / (clock.halfLifeHours * 3600));
        if (t >= acc.lastEnd + window) value = 0;
      }
      out.set(key, { consumedGpuHours: base + value, committedGpuHours: b.committedGpuHours - acc.commitGone });
    }
    for (const a of live) {
      const key = this.keyOf(a);
      const acc = key === null || a.gpus === 0 ? undefined : out.get(key);
      if (!acc) continue;
      const clock = this.clockOf(key!);
      acc.consumedGpuHours += this.intervalAt(clock, a.gpus, Math.max(a.startSec, 0), t, t, this.lastReset(clock, t));
      const ranSec = t - Math.max(a.startSec, 0);
      const max = a.maxRuntimeSeconds ?? 0;
      // Attempts started before now are in the base commitment; shrink it as they run on.
      acc.committedGpuHours += a.inBase ? -(a.gpus * Math.min(ranSec, Math.max(max + a.startSec, 0))) / 3600 : (a.gpus * Math.max(0, max - ranSec)) / 3600;
    }
    for (const acc of out.values()) acc.committedGpuHours = Math.max(acc.committedGpuHours, 0);
    return out;
  }

  /**
   * When, after t, the account's consumption is next expected to let a run needing `needGpuHours`
   * start, if only time passes (no attempt of the account running): a decay budget once its decayed
   * use falls to budget − committed − need (safe mode) or below the budget; a reset budget at its
   * next reset. null: never by time alone, or the account is not decaying or resetting.
   */
  recoveryAt(key: string, t: number, state: BudgetState, budget: number, safeMode: boolean, needGpuHours: number): number | null {
    const clock = this.clockOf(key);
    if (!clock) return null;
    if ('resetsAtSec' in clock) return clock.resetsAtSec.find((r) => r > t + 1e-9) ?? null;
    const consumed = state.consumedGpuHours;
    const hair = (at: number) => at * (1 + 1e-9) + 1e-6;
    if (!safeMode) {
      // Spent while used >= budget: recovered once decayed use is below it.
      if (consumed < budget) return null;
      return budget <= 0 ? null : hair(t + clock.halfLifeHours * 3600 * Math.log2(consumed / budget));
    }
    const target = budget - state.committedGpuHours - needGpuHours;
    if (consumed <= target + 1e-9) return null;
    if (target <= 1e-9) {
      // Only no use at all lets it start: when the reader's window has dropped every attempt.
      if (target < -1e-9) return null;
      const acc = this.accounts.get(key);
      const window = DECAY_HORIZON_HALF_LIVES * clock.halfLifeHours * 3600;
      return hair(Math.max(window, (acc?.lastEnd ?? -Infinity) + window));
    }
    // consumed × 2^(−Δ/H) = target; a hair later, so that the check after it passes.
    return hair(t + clock.halfLifeHours * 3600 * Math.log2(consumed / target));
  }
}

/** A reset-period budget's boundaries within `horizonSec` of `now`: day and week periods repeat, months follow the calendar (UTC). */
export function resetsWithin(period: string, periodEnd: Date | null, now: Date, horizonSec: number): number[] {
  if (!periodEnd || period === 'decay') return [];
  const out: number[] = [];
  const end = now.getTime() + horizonSec * 1000;
  for (let at = new Date(periodEnd); at.getTime() <= end && out.length < 1000; ) {
    out.push((at.getTime() - now.getTime()) / 1000);
    if (period === 'day') at = new Date(at.getTime() + 86_400_000);
    else if (period === 'week') at = new Date(at.getTime() + 7 * 86_400_000);
    else if (period === 'month') at = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
    else break;
  }
  return out;
}
