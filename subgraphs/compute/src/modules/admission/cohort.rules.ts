/**
 * Cohort borrowing (pure). Members of a cohort lend each other unused nominal quota:
 * a tenant may exceed its nominal quota up to its borrowing limit while the cohort's total
 * borrowing stays within what its members lend: each lends min(lending limit, unused nominal −
 * lending headroom). The lending limit caps the total lent; the headroom is kept free above the
 * lender's current use, so it follows the lender's use and its next arrivals start at once.
 * A cohort policy may also keep a lending headroom for the cohort as a whole: new borrowing stops
 * that far below what the members lend (one pooled reserve for all lenders' next arrivals, which
 * costs far less idle capacity than a headroom per lender; designs/3-cohort-headroom.md).
 */
import { DIMENSIONS, exceeds, fmt } from './admission.rules.js';
import type { CohortPolicy, QueuedRun, ResourceRequest, TenantQuota } from './admission.types.js';

const KEYS = ['cpus', 'gpus', 'memoryMb'] as const;

export function withinNominal(used: ResourceRequest, run: ResourceRequest, quota: TenantQuota): boolean {
  return KEYS.every((k) => !exceeds(used[k], run[k], quota[k]));
}

/** The most a tenant may hold of each resource: nominal, plus its borrowing limit inside a cohort. */
export function hardLimit(quota: TenantQuota): ResourceRequest {
  const limit = (k: (typeof KEYS)[number]) => (quota.cohort ? quota[k] + (quota.borrowingLimit?.[k] ?? Infinity) : quota[k]);
  return { cpus: limit('cpus'), gpus: limit('gpus'), memoryMb: limit('memoryMb') };
}

type Amounts = { cpus: number; gpus: number; memoryMb: number };

/** What a member lends of one resource: its unused nominal less its headroom, within its lending limit. */
function lends(q: TenantQuota, use: ResourceRequest, k: (typeof KEYS)[number]): number {
  return Math.min(q.lendingLimit?.[k] ?? Infinity, Math.max(0, q[k] - use[k] - (q.lendingHeadroom?.[k] ?? 0)));
}

/** What a member keeps unlent as headroom of one resource (the part of its unused nominal it does not lend). */
function keeps(q: TenantQuota, use: ResourceRequest, k: (typeof KEYS)[number]): number {
  const h = q.lendingHeadroom?.[k] ?? 0;
  return h > 0 ? Math.min(h, Math.max(0, q[k] - use[k])) : 0;
}

function contribution(q: TenantQuota, use: ResourceRequest): { lent: Amounts; borrowed: Amounts; kept: Amounts } {
  const lent = { cpus: 0, gpus: 0, memoryMb: 0 };
  const borrowed = { cpus: 0, gpus: 0, memoryMb: 0 };
  const kept = { cpus: 0, gpus: 0, memoryMb: 0 };
  for (const k of KEYS) {
    lent[k] = lends(q, use, k);
    borrowed[k] = Math.max(0, use[k] - q[k]);
    kept[k] = keeps(q, use, k);
  }
  return { lent, borrowed, kept };
}

type Totals = { lent: Amounts; borrowed: Amounts; kept: Amounts };
const none = (): Amounts => ({ cpus: 0, gpus: 0, memoryMb: 0 });

/** What a cohort's members hold, lend and borrow now, per resource (Cohort.balance). */
export interface CohortBalance {
  /** Sum of the members' nominal quota. */
  nominal: Amounts;
  /** What the members' active allocations hold (all pools). */
  inUse: Amounts;
  /** What the members lend now: unused nominal within lending limits, less their own headroom. */
  lent: Amounts;
  /** What members hold above their nominal. */
  borrowed: Amounts;
  /** Unused nominal the members keep unlent as their own lending headroom. */
  keptByMembers: Amounts;
  /** Of what is lent, what the cohort keeps unlent as its lending headroom (cohort policy). */
  keptByCohort: Amounts;
  /** What a member may still borrow now (before its own borrowing limit and the pools' free capacity). */
  borrowable: Amounts;
}

/** A cohort's balance from its members' quotas and usage and its policy: the rule admission applies. */
export function cohortBalance(members: readonly { quota: TenantQuota; use: ResourceRequest }[], policy?: CohortPolicy | null): CohortBalance {
  const b: CohortBalance = { nominal: none(), inUse: none(), lent: none(), borrowed: none(), keptByMembers: none(), keptByCohort: none(), borrowable: none() };
  for (const { quota, use } of members) {
    const c = contribution(quota, use);
    for (const k of KEYS) {
      b.nominal[k] += quota[k];
      b.inUse[k] += use[k];
      b.lent[k] += c.lent[k];
      b.borrowed[k] += c.borrowed[k];
      b.keptByMembers[k] += c.kept[k];
    }
  }
  for (const k of KEYS) {
    b.keptByCohort[k] = Math.min(policy?.lendingHeadroom?.[k] ?? 0, b.lent[k]);
    b.borrowable[k] = Math.max(0, b.lent[k] - b.keptByCohort[k] - b.borrowed[k]);
  }
  return b;
}



/**
 * What each cohort lends and borrows in total, kept up to date as a cycle admits runs, so a
 * borrowing check costs O(1) instead of a pass over every member.
 */
export class CohortLedger {
  private readonly totals = new Map<string, Totals>();

  constructor(
    private readonly quotas: ReadonlyMap<string, TenantQuota>,
    private readonly usageOf: (tenant: string) => ResourceRequest,
    private readonly policies?: ReadonlyMap<string, CohortPolicy>,
  ) {
    // Once per cycle over every tenant: no allocation per tenant (see contribution for the rule).
    for (const [tenant, q] of quotas) {
      if (!q.cohort) continue;
      const use = usageOf(tenant);
      let t = this.totals.get(q.cohort);
      if (!t) this.totals.set(q.cohort, (t = { lent: none(), borrowed: none(), kept: none() }));
      for (const k of KEYS) {
        t.lent[k] += lends(q, use, k);
        t.borrowed[k] += Math.max(0, use[k] - q[k]);
        if (q.lendingHeadroom) t.kept[k] += keeps(q, use, k);
      }
    }
  }

  /** The cohort's totals if `run` were added to its tenant's use. */
  balanceWith(run: QueuedRun): Totals {
    const q = this.quotas.get(run.tenant)!;
    const t = this.totals.get(q.cohort!)!;
    const use = this.usageOf(run.tenant);
    const before = contribution(q, use);
    const after = contribution(q, { cpus: use.cpus + run.cpus, gpus: use.gpus + run.gpus, memoryMb: use.memoryMb + run.memoryMb });
    const lent = { ...t.lent };
    const borrowed = { ...t.borrowed };
    const kept = { ...t.kept };
    for (const k of KEYS) {
      lent[k] += after.lent[k] - before.lent[k];
      borrowed[k] += after.borrowed[k] - before.borrowed[k];
      kept[k] += after.kept[k] - before.kept[k];
    }
    return { lent, borrowed, kept };
  }

  /** Records that `run` was admitted (call before its tenant's usage is updated). */
  admit(run: QueuedRun): void {
    const q = this.quotas.get(run.tenant);
    if (!q?.cohort) return;
    this.totals.set(q.cohort, this.balanceWith(run));
  }

  /**
   * Why `run` cannot be admitted on its tenant's quota (nominal, or borrowed within the cohort),
   * or [] when it can.
   */
  reasons(run: QueuedRun, quota: TenantQuota): string[] {
    const used = this.usageOf(run.tenant);
    if (withinNominal(used, run, quota)) return [];
    if (!quota.cohort) {
      return DIMENSIONS.filter((d) => exceeds(used[d.key], run[d.key], quota[d.key])).map(
        (d) => `tenant ${run.tenant} quota: ${d.label} ${fmt(used[d.key])}/${fmt(quota[d.key])}${d.unit} in use, ${fmt(run[d.key])}${d.unit} requested`,
      );
    }
    const reasons: string[] = [];
    const limit = hardLimit(quota);
    for (const d of DIMENSIONS) {
      if (exceeds(used[d.key], run[d.key], limit[d.key])) {
        reasons.push(`tenant ${run.tenant} borrowing limit: ${d.label} ${fmt(used[d.key])}/${fmt(limit[d.key])}${d.unit} in use (nominal ${fmt(quota[d.key])}), ${fmt(run[d.key])}${d.unit} requested`);
      }
    }
    if (reasons.length > 0) return reasons;
    const { lent, borrowed, kept } = this.balanceWith(run);
    const before = this.totals.get(quota.cohort)!;
    const policy = this.policies?.get(quota.cohort);
    for (const d of DIMENSIONS) {
      const headroom = kept[d.key] > 1e-9 ? ` (and keep ${fmt(kept[d.key])}${d.unit} unlent as lending headroom)` : '';
      if (borrowed[d.key] > lent[d.key] + 1e-9) {
        reasons.push(`cohort ${quota.cohort}: ${d.label} ${fmt(borrowed[d.key])}${d.unit} would be borrowed, members lend ${fmt(lent[d.key])}${d.unit}${headroom}`);
        continue;
      }
      // The cohort's own reserve stops new borrowing only: of the resources this run borrows more of.
      const reserve = policy?.lendingHeadroom?.[d.key] ?? 0;
      if (reserve > 0 && borrowed[d.key] > before.borrowed[d.key] + 1e-9 && borrowed[d.key] > lent[d.key] - reserve + 1e-9) {
        reasons.push(`cohort ${quota.cohort}: ${d.label} ${fmt(borrowed[d.key])}${d.unit} would be borrowed, members lend ${fmt(lent[d.key])}${d.unit}${headroom}, `
          + `of which the cohort keeps ${fmt(reserve)}${d.unit} unlent as its lending headroom (cohort policy v${policy!.version})`);
      }
    }
    return reasons;
  }
}
