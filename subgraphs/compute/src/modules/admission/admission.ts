/**
 * The admission decision, as a pure function of a snapshot: which queued runs start now, and why
 * each other one waits. No I/O, no ORM, no GraphQL: the adapter (admission.store.ts) reads the
 * snapshot and applies the decisions in one locked transaction.
 *
 * Rules:
 * - a run is rejected when it can never fit (more than the pool, or than the tenant's hard quota)
 *   or uses a priority class its tenant's quota does not allow;
 * - otherwise runs are considered by priority class (critical, standard, preemptible); within a
 *   class the tenant with the smallest weighted dominant share goes next (fair-share.ts), and a
 *   tenant's own runs go oldest first; shares are recomputed after every admission;
 * - a run waits when its tenant has no quota, would exceed its concurrent-trial cap, its quota
 *   (nominal, or nominal + borrowing within its cohort: cohort.rules.ts), its project's limits
 *   (project.rules.ts), its GPU-hour budget
 *   (budget.rules.ts), its GPU flavor caps (flavor.rules.ts), or the pool lacks free capacity
 *   right now; it never blocks later runs;
 * - a run that names a GPU type (or several) is considered only on pools of that flavor (of
 *   those), and a run asking for an executor only on pools running it when any pool does
 *   (pool-routing.rules.ts): other pools leave it out of their decision, unless no registered
 *   pool may take it (then it waits, saying so); a pool of a later choice of type leaves it to a
 *   live pool of an earlier one with room (flavor-preference.rules.ts); a run none of whose types
 *   its tenant's quota lists is rejected;
 * - a run that only lacks pool capacity may preempt (preemption.ts): a tenant within nominal
 *   reclaims capacity lent to its cohort, and critical work evicts preemptible work; critical
 *   work that fits but would take free capacity a reserved run of a lower class is draining for
 *   evicts preemptible work instead, so the lowest class yields rather than the reserved run;
 * - backfill (backfill.ts): a run that only lacks pool capacity and has lower-class work behind it
 *   (or has waited past reserveAfterSec) gets a reservation at its earliest start, computed from
 *   running attempts' expected ends; work behind it is admitted only where it delays no reserved
 *   start (it ends before it by its maximum runtime, or fits beside it) and is logged as backfill.
 */
import { DIMENSIONS, exceeds, fmt, neverFitsReason, noQuotaReason, poolGpuIds } from './admission.rules.js';
import { budgetNeverFits, budgetWaitReason, worstCaseGpuHours } from './budget.rules.js';
import { CohortLedger, withinNominal, hardLimit } from './cohort.rules.js';
import { dominantShare, priorityRank } from './fair-share.js';
import { FlavorLedger, flavorNeverFitsReason } from './flavor.rules.js';
import { PoolRouting } from './pool-routing.rules.js';
import { FlavorPreference } from './flavor-preference.rules.js';
import { victimsFor } from './preemption.js';
import { CapacityProfile, expectedRemainingSec, type Release } from './backfill.js';
import { ProjectLedger } from './project.rules.js';
import { TurnOrder } from './turn-order.js';
import type { ActiveAllocation, AdmissionDecisions, AdmissionSnapshot, QueuedRun, Reservation, ResourceRequest, TenantQuota } from './admission.types.js';

export * from './admission.types.js';

interface Usage extends ResourceRequest {
  trials: number;
}

const zero = (): Usage => ({ cpus: 0, gpus: 0, memoryMb: 0, trials: 0 });

function add(u: Usage, r: ResourceRequest): void {
  u.cpus += r.cpus;
  u.gpus += r.gpus;
  u.memoryMb += r.memoryMb;
  u.trials += 1;
}

export function fifoOrder(a: QueuedRun, b: QueuedRun): number {
  return a.enqueuedAt.getTime() - b.enqueuedAt.getTime() || a.trialIndex - b.trialIndex || (a.trialId < b.trialId ? -1 : a.trialId > b.trialId ? 1 : 0);
}

/** A recently preempted trial waits before it borrows again (it may still run within nominal). */
function borrowBackoffReason(run: QueuedRun, quota: TenantQuota, used: Usage, backoffSec: number, borrowsFlavor: boolean): string[] {
  if (!run.preemptions || (withinNominal(used, run, quota) && !borrowsFlavor)) return [];
  const wait = backoffSec * 2 ** (run.preemptions - 1);
  const since = run.sincePreemptedSec ?? Infinity;
  return since < wait ? [`preempted ${run.preemptions}× before: may borrow again in ${fmt(wait - since)} s (backoff ${fmt(wait)} s)`] : [];
}

function concurrencyReason(run: QueuedRun, quota: TenantQuota, used: Usage): string[] {
  return used.trials + 1 > quota.concurrentTrials ? [`tenant ${run.tenant} quota: concurrentTrials ${used.trials}/${quota.concurrentTrials} in use`] : [];
}

function poolFree(snapshot: AdmissionSnapshot, used: Usage, freeDevices: number): ResourceRequest {
  const pool = snapshot.pool;
  return { cpus: pool.cpus - used.cpus, gpus: Math.min(pool.gpus - used.gpus, freeDevices), memoryMb: pool.memoryMb - used.memoryMb };
}

function poolReasons(run: QueuedRun, snapshot: AdmissionSnapshot, free: ResourceRequest): string[] {
  const reasons: string[] = [];
  for (const d of DIMENSIONS) {
    if (exceeds(0, run[d.key], free[d.key])) reasons.push(`pool ${snapshot.pool.name}: ${d.label} ${fmt(Math.max(free[d.key], 0))}${d.unit} free, ${fmt(run[d.key])}${d.unit} requested`);
  }
  return reasons;
}

function priorityReason(run: QueuedRun, quota: TenantQuota): string | null {
  const allowed = quota.priorityClasses ?? ['standard', 'preemptible'];
  const priority = run.priority ?? 'standard';
  return allowed.includes(priority)
    ? null
    : `priority ${priority} is not allowed for tenant ${run.tenant} (quota v${quota.version} allows ${allowed.join(', ')})`;
}

export function admit(snapshot: AdmissionSnapshot): AdmissionDecisions {
  const { pool } = snapshot;
  const poolUsed = zero();
  const tenantUsed = new Map<string, Usage>();
  const usageOf = (tenant: string): Usage => {
    let u = tenantUsed.get(tenant);
    if (!u) tenantUsed.set(tenant, (u = zero()));
    return u;
  };
  const busyDevices = new Set<string>();
  for (const a of snapshot.allocations) {
    add(usageOf(a.tenant), a);
    if (a.pool !== pool.name) continue;
    add(poolUsed, a);
    for (const d of a.devices) busyDevices.add(d);
  }
  const freeDevices = poolGpuIds(pool).filter((d) => !busyDevices.has(d));
  const out: AdmissionDecisions = { admitted: [], pending: [], rejected: [], preempted: [], reservations: [] };
  // Victims are marked stopping on this decision's own copy, made at the first eviction (the
  // snapshot is left untouched; copying thousands of allocations every cycle would dominate it).
  let allocations: readonly ActiveAllocation[] = snapshot.allocations;
  let ownCopy = false;
  const markStopping = (victims: ActiveAllocation[]): ActiveAllocation[] => {
    if (!ownCopy) {
      const copies = new Map(allocations.map((a) => [a, { ...a }]));
      allocations = [...copies.values()];
      victims = victims.map((v) => copies.get(v)!);
      ownCopy = true;
    }
    for (const v of victims) v.stopping = true;
    return victims;
  };
  // Resources of attempts already asked to stop are about to free up: do not evict more for them.
  const freeing = zero();
  for (const a of allocations) if (a.stopping && a.pool === pool.name) add(freeing, a);
  const historyWeight = snapshot.historyWeight ?? 0.5;
  const budgets = new Map([...(snapshot.budgets ?? new Map())].map(([t, b]) => [t, { ...b }]));
  const budgetOf = (tenant: string) => budgets.get(tenant) ?? { consumedGpuHours: 0, committedGpuHours: 0 };
  const shareOf = (tenant: string) =>
    dominantShare(usageOf(tenant), snapshot.history?.get(tenant), pool, snapshot.quotas.get(tenant)?.weight ?? 1, historyWeight);

  // Per priority class, per tenant: the runs that may be admitted, oldest first.
  const classes = new Map<number, Map<string, QueuedRun[]>>();
  const routing = new PoolRouting(pool, snapshot.poolFlavors, snapshot.poolExecutors, snapshot.livePools);
  const flavors = new FlavorLedger(pool, snapshot.quotas, snapshot.allocations, routing);
  const preference = new FlavorPreference(pool, routing, flavors, snapshot.allocations, snapshot.poolCapacities, snapshot.now, snapshot.preferFlavorForSec, snapshot.gpuFlavorOrder);
  const routingNotes = new Map<string, string>();
  for (const run of [...snapshot.queue].sort(fifoOrder)) {
    const quota = snapshot.quotas.get(run.tenant);
    // Flavor first: whether the run is this pool's to decide (other pools' capacity is not this one's).
    const flavorNever = quota ? flavorNeverFitsReason(run, quota) : null;
    if (flavorNever) {
      out.rejected.push({ trialId: run.trialId, tenant: run.tenant, reason: flavorNever, quotaVersion: quota!.version });
      continue;
    }
    const route = routing.route(run, quota);
    if (!route.here) {
      if (route.waitReason) out.pending.push({ trialId: run.trialId, tenant: run.tenant, reason: route.waitReason, ...(quota ? { quotaVersion: quota.version } : {}) });
      continue;
    }
    // A run that lists several GPU types goes to a pool of an earlier one that has room for it.
    const preferred = preference.decide(run, quota);
    if (preferred.defer) continue;
    const note = [route.note, preferred.note].filter(Boolean).join('; ');
    if (note) routingNotes.set(run.trialId, note);
    const never =
      neverFitsReason(run, pool, run.tenant, quota ? { ...quota, ...hardLimit(quota) } : undefined) ??
      (quota ? (priorityReason(run, quota) ?? budgetNeverFits(run, quota)) : null);
    if (never) {
      out.rejected.push({ trialId: run.trialId, tenant: run.tenant, reason: never, ...(quota ? { quotaVersion: quota.version } : {}) });
      continue;
    }
    if (!quota) {
      out.pending.push({ trialId: run.trialId, tenant: run.tenant, reason: noQuotaReason(run.tenant) });
      continue;
    }
    const rank = priorityRank(run.priority);
    let tenants = classes.get(rank);
    if (!tenants) classes.set(rank, (tenants = new Map()));
    const runs = tenants.get(run.tenant);
    if (runs) runs.push(run);
    else tenants.set(run.tenant, [run]);
  }

  // The ledger only reads usage: tenants without any get a shared zero, not an entry each.
  const noUsage: Readonly<Usage> = zero();
  const ledger = new CohortLedger(snapshot.quotas, (tenant) => tenantUsed.get(tenant) ?? noUsage, snapshot.cohortPolicies);
  const projects = new ProjectLedger(snapshot.projectQuotas, snapshot.allocations, snapshot.projectBudgets);

  // Backfill reservations. The profile is built when the first reservation is made; `applied`
  // are the reservations that constrain the runs considered now (those of higher classes, and
  // starving ones); a reservation against lower classes only is applied when the class changes.
  const lowestRank = Math.max(-1, ...classes.keys());
  const reserveAfterSec = snapshot.reserveAfterSec ?? 300;
  const maxReservations = snapshot.maxReservations ?? 16;
  let profile: CapacityProfile | null = null;
  const applied: Reservation[] = [];
  let deferred: { res: Reservation; run: QueuedRun; duration: number }[] = [];
  const placed: Release[] = [];
  const expectedDuration = (run: QueuedRun) => run.maxRuntimeSeconds ?? run.expectedRuntimeSec ?? Infinity;
  const starving = (run: QueuedRun) => !!snapshot.now && (snapshot.now.getTime() - run.enqueuedAt.getTime()) / 1000 >= reserveAfterSec;
  const buildProfile = (): CapacityProfile => {
    const releases: Release[] = [...placed];
    for (const a of allocations) {
      if (a.pool !== pool.name) continue;
      releases.push({ cpus: a.cpus, gpus: a.gpus, memoryMb: a.memoryMb, at: a.stopping ? 0 : expectedRemainingSec(a.expectedRuntimeSec, a.runtimeSec ?? 0) });
    }
    return new CapacityProfile(poolFree(snapshot, poolUsed, freeDevices.length), releases);
  };
  /** Holds the earliest start `run` can have for lower-ordered work; returns the reason suffix. */
  const reserveFor = (run: QueuedRun): string => {
    if (out.reservations.length >= maxReservations) return '';
    profile ??= buildProfile();
    const duration = expectedDuration(run);
    const isStarving = starving(run);
    const start = profile.earliest(run, duration);
    const res: Reservation = { trialId: run.trialId, tenant: run.tenant, priority: run.priority ?? 'standard', startInSec: start, starving: isStarving };
    out.reservations.push(res);
    if (!Number.isFinite(start)) return '; no start can be reserved (running attempts have no known end)';
    if (isStarving) {
      profile.take(run, start, start + duration);
      applied.push(res);
    } else {
      deferred.push({ res, run, duration });
    }
    return isStarving
      ? `; start reserved (waiting over ${fmt(reserveAfterSec)} s): other work only backfills around it`
      : '; start reserved: lower-priority work only backfills around it';
  };

  /** Evicts enough for `run` if it may preempt; returns its wait reason, or null if it may not. */
  const preemptFor = (run: QueuedRun, quota: TenantQuota, used: Usage, free: ResourceRequest): string | null => {
    const withFreeing = { cpus: free.cpus + freeing.cpus, gpus: free.gpus + freeing.gpus, memoryMb: free.memoryMb + freeing.memoryMb };
    // Reclaiming is for work within its nominal quota: of every resource, and of the pool's GPU flavor.
    const kind = run.priority === 'critical' ? 'critical' : quota.cohort && withinNominal(used, run, quota) && !flavors.borrows(run, quota) ? 'reclaim' : null;
    if (!kind) return null;
    // Capacity being freed is reserved by the runs waiting for it, first come first served.
    const reserve = () => {
      for (const d of DIMENSIONS) freeing[d.key] -= Math.max(0, run[d.key] - Math.max(free[d.key], 0));
    };
    if (DIMENSIONS.every((d) => !exceeds(0, run[d.key], withFreeing[d.key]))) {
      reserve();
      return `waiting for preempted attempts to stop (${kind === 'critical' ? 'critical work' : 'reclaiming nominal quota'})`;
    }
    const found = victimsFor(run, kind, withFreeing, allocations, snapshot.quotas, pool.name, snapshot.minRuntimeBeforePreemptSec ?? 60);
    if (!found) return null;
    const victims = markStopping(found);
    for (const v of victims) add(freeing, v);
    reserve();
    for (const v of victims) {
      out.preempted.push({
        attemptId: v.attemptId!, trialId: v.trialId ?? null, tenant: v.tenant, forTrialId: run.trialId,
        reason: kind === 'critical'
          ? `preempted: preemptible attempt evicted for critical trial ${run.trialId} of tenant ${run.tenant}`
          : `preempted: tenant ${run.tenant} reclaims its nominal quota lent to cohort ${quota.cohort}`,
      });
    }
    return `waiting for ${victims.length} preempted attempt(s) to stop (${kind === 'critical' ? 'critical work' : 'reclaiming nominal quota'})`;
  };

  /** Why `run`'s quota, cap, project limits, budget or borrowing backoff hold it now (pool aside). */
  const quotaReasonsOf = (run: QueuedRun, quota: TenantQuota): string[] => {
    const used = usageOf(run.tenant);
    const budgetReason = budgetWaitReason(run, quota, budgetOf(run.tenant));
    return [
      ...concurrencyReason(run, quota, used),
      ...ledger.reasons(run, quota),
      ...flavors.reasons(run, quota),
      ...projects.reasons(run),
      ...(budgetReason ? [budgetReason] : []),
      ...borrowBackoffReason(run, quota, used, snapshot.borrowBackoffSec ?? 30, flavors.borrows(run, quota)),
    ];
  };

  /**
   * A queued run of a class between critical and the lowest one (so it takes a reservation) that
   * lacks only pool capacity and would lack it still more if `run` took free capacity now: the
   * capacity drained for it. Only the head run of each tenant is looked at.
   */
  const drainedFor = (run: QueuedRun, free: ResourceRequest): QueuedRun | null => {
    const critical = priorityRank('critical');
    for (const [rank, tenants] of classes) {
      if (rank <= critical || rank >= lowestRank) continue;
      for (const runs of tenants.values()) {
        const w = runs[0];
        if (!w || DIMENSIONS.every((d) => !exceeds(0, w[d.key], free[d.key] - run[d.key]))) continue;
        if (quotaReasonsOf(w, snapshot.quotas.get(w.tenant)!).length === 0) return w;
      }
    }
    return null;
  };

  /**
   * Critical work that fits in free capacity but would take capacity being drained for a
   * reserved run of a lower class evicts preemptible attempts instead (which it may do anyway):
   * the lowest class yields, not the reserved run. Returns the wait reason, or null to admit now.
   */
  const spareDrain = (run: QueuedRun, quota: TenantQuota, free: ResourceRequest): string | null => {
    if (run.priority !== 'critical') return null;
    const w = drainedFor(run, free);
    if (!w) return null;
    // Only the dimensions the drained-for run would then lack must come from evicted attempts.
    const masked = { ...free };
    for (const d of DIMENSIONS) if (run[d.key] > 0 && exceeds(0, w[d.key], free[d.key] - run[d.key])) masked[d.key] = 0;
    const sparing = `; spares the capacity trial ${w.trialId} (${w.priority ?? 'standard'}, tenant ${w.tenant}) waits for`;
    if (run.preempting) {
      // Its victims have stopped once what is being freed no longer covers it: it takes its share now.
      if (DIMENSIONS.some((d) => exceeds(0, run[d.key], masked[d.key] + freeing[d.key]))) return null;
      for (const d of DIMENSIONS) freeing[d.key] -= Math.max(0, run[d.key] - masked[d.key]);
      return 'waiting for preempted attempts to stop (critical work)' + sparing;
    }
    const reason = preemptFor(run, quota, usageOf(run.tenant), masked);
    return reason ? reason + sparing : null;
  };

  /** Admits `run` if quota, budget and pool allow it; otherwise records why it waits. */
  const tryAdmit = (run: QueuedRun, share: number): boolean => {
    const quota = snapshot.quotas.get(run.tenant)!;
    const used = usageOf(run.tenant);
    const quotaReasons = quotaReasonsOf(run, quota);
    const free = poolFree(snapshot, poolUsed, freeDevices.length);
    const reasons = [...quotaReasons, ...poolReasons(run, snapshot, free)];
    const mayReserve = quotaReasons.length === 0 && (priorityRank(run.priority) < lowestRank || starving(run));
    if (reasons.length > 0) {
      const preempting = quotaReasons.length === 0 ? preemptFor(run, quota, used, free) : null;
      const reserved = mayReserve ? reserveFor(run) : '';
      out.pending.push({ trialId: run.trialId, tenant: run.tenant, reason: (preempting ?? reasons.join('; ')) + reserved, quotaVersion: quota.version });
      return false;
    }
    const spared = spareDrain(run, quota, free);
    if (spared) {
      out.pending.push({ trialId: run.trialId, tenant: run.tenant, reason: spared + (mayReserve ? reserveFor(run) : ''), quotaVersion: quota.version });
      return false;
    }
    let backfill: string | undefined;
    if (profile && applied.length > 0) {
      const guaranteedEnd = run.maxRuntimeSeconds ?? Infinity;
      const first = applied.reduce((a, b) => (b.startInSec < a.startInSec ? b : a));
      if (!profile.fits(run, 0, guaranteedEnd)) {
        const reason = `held back: would delay the reserved start of trial ${first.trialId} (${first.priority}, tenant ${first.tenant})` +
          (run.maxRuntimeSeconds == null ? '; without maxRuntimeSeconds it can only use capacity that stays free' : '');
        out.pending.push({ trialId: run.trialId, tenant: run.tenant, reason: reason + (mayReserve ? reserveFor(run) : ''), quotaVersion: quota.version });
        return false;
      }
      if (guaranteedEnd <= first.startInSec + 1e-9) {
        backfill = `backfill: ends within ${fmt(guaranteedEnd)} s (maxRuntimeSeconds), before trial ${first.trialId} (${first.priority}) is due to start in ${fmt(first.startInSec)} s`;
      } else {
        const left = profile.at(first.startInSec);
        backfill = `backfill: fits in capacity still free at the reserved start of trial ${first.trialId} (${first.priority}) in ${fmt(first.startInSec)} s: ` +
          DIMENSIONS.filter((d) => run[d.key] > 0).map((d) => `${d.label} ${fmt(left[d.key])}${d.unit} left, ${fmt(run[d.key])}${d.unit} requested`).join(', ');
      }
    }
    // Above nominal of any resource, or of this pool's GPU flavor: borrowed, so reclaimable.
    const borrowed = !withinNominal(used, run, quota) || flavors.borrows(run, quota);
    ledger.admit(run);
    flavors.admit(run, quota);
    projects.admit(run);
    const projectQuotaVersion = projects.quotaOf(run)?.version;
    if (quota.gpuHoursBudget != null) {
      const b = budgetOf(run.tenant);
      budgets.set(run.tenant, { ...b, committedGpuHours: b.committedGpuHours + (worstCaseGpuHours(run) ?? 0) });
    }
    add(used, run);
    add(poolUsed, run);
    const end = expectedDuration(run);
    placed.push({ cpus: run.cpus, gpus: run.gpus, memoryMb: run.memoryMb, at: end });
    profile?.take(run, 0, end);
    out.admitted.push({
      trialId: run.trialId, tenant: run.tenant, devices: freeDevices.splice(0, run.gpus), quotaVersion: quota.version,
      priority: run.priority ?? 'standard', share, borrowed, ...(backfill ? { backfill } : {}),
      ...(projectQuotaVersion !== undefined ? { projectQuotaVersion } : {}),
      ...(routingNotes.has(run.trialId) ? { routing: routingNotes.get(run.trialId)! } : {}),
    });
    return true;
  };

  for (const rank of [...classes.keys()].sort((a, b) => a - b)) {
    // Reservations made in the classes above now hold against this one.
    for (const d of deferred) {
      profile!.take(d.run, d.res.startInSec, d.res.startInSec + d.duration);
      applied.push(d.res);
    }
    deferred = [];
    const tenants = classes.get(rank)!;
    for (const runs of tenants.values()) runs.sort((a, b) => Number(!!b.preempting) - Number(!!a.preempting) || fifoOrder(a, b));
    const order = new TurnOrder(fifoOrder);
    for (const [tenant, runs] of tenants) order.push({ tenant, head: runs[0]!, share: shareOf(tenant) });
    for (let turn = order.pop(); turn; turn = order.pop()) {
      // Runs that preempted others go first; then progressive filling: the tenant with the
      // smallest weighted dominant share goes next (shares change only when it admits).
      const runs = tenants.get(turn.tenant)!;
      const mode = !!turn.head.preempting;
      let admitted = false;
      // The same tenant keeps the turn until it admits a run (its share then changes).
      while (runs.length > 0 && !!runs[0]!.preempting === mode) {
        if (tryAdmit(runs.shift()!, turn.share)) {
          admitted = true;
          break;
        }
      }
      if (runs.length > 0) order.push({ tenant: turn.tenant, head: runs[0]!, share: admitted ? shareOf(turn.tenant) : turn.share });
    }
  }
  return out;
}
