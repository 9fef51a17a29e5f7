import { ComputeHarness } from './testing-internal/compute-harness.js';
import { eventually } from '@fairsweep/service-kit/testing';
import { TOPICS } from '@fairsweep/service-kit';
import { publishTrials, quickExecutor, setProjectQuota, type TrialSpec } from './testing-internal/project-quota.helpers.js';

/**
 * Invariant 1 under racing replicas: 4 compute replicas (two per pool, so the pools' advisory locks
 * do not serialise them all) admit trials of several tenants and projects with tight limits from one
 * real PostgreSQL; attempts finish within milliseconds so admissions and releases interleave
 * constantly. Full run: 2,000 trials (FAIRSWEEP_RACE_TRIALS=2000); CI default 600.
 */
const TRIALS = Number(process.env.FAIRSWEEP_RACE_TRIALS ?? 600);

type Limits = { cpus?: number; gpus?: number; memoryMb?: number; concurrentTrials?: number };
const TENANTS: Record<string, { quota: Required<Limits>; projects: Record<string, Limits> }> = {
  t1: { quota: { cpus: 6, gpus: 2, memoryMb: 8192, concurrentTrials: 8 }, projects: { p1: { concurrentTrials: 3, gpus: 1 }, p2: { cpus: 2 }, p3: {} } },
  t2: { quota: { cpus: 4, gpus: 4, memoryMb: 4096, concurrentTrials: 5 }, projects: { p1: { memoryMb: 1024, concurrentTrials: 2 }, p2: { gpus: 2 } } },
  t3: { quota: { cpus: 3, gpus: 0, memoryMb: 8192, concurrentTrials: 4 }, projects: { p1: { concurrentTrials: 2, cpus: 1.5 } } },
};
const DIMS = ['cpus', 'gpus', 'memoryMb', 'concurrentTrials'] as const;

/** A deterministic generator (mulberry32), so a failing workload can be replayed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Row { tenant: string; project: string | null; n: number; cpus: number; gpus: number; memoryMb: number }

/** Every limit a group of allocations exceeds: `tenant t1: cpus 6.5 > 6`. */
function violations(group: string, used: Omit<Row, 'tenant' | 'project'>, limits: Limits): string[] {
  const value = { cpus: used.cpus, gpus: used.gpus, memoryMb: used.memoryMb, concurrentTrials: used.n };
  return DIMS.filter((d) => limits[d] !== undefined && value[d] > limits[d]! + 1e-9).map((d) => `${group}: ${d} ${value[d]} > ${limits[d]}`);
}

function check(rows: Row[]): string[] {
  return rows.flatMap((r) => {
    const t = TENANTS[r.tenant]!;
    return r.project === null ? violations(`tenant ${r.tenant}`, r, t.quota) : violations(`project ${r.tenant}/${r.project}`, r, t.projects[r.project] ?? {});
  });
}

describe('hard quota under 4 racing scheduler replicas (real PostgreSQL)', () => {
  let h: ComputeHarness;
  const random = rng(20301);
  beforeAll(async () => {
    h = await ComputeHarness.create();
    for (const [i, pool] of ['alpha', 'alpha', 'beta', 'beta'].entries()) {
      await h.start({ pool: { name: pool, cpus: 8, gpus: 4, memoryMb: 16384 }, admissionIntervalMs: 50 + i * 7, executor: quickExecutor(() => 2 + Math.floor(random() * 20)) });
    }
    for (const [tenant, t] of Object.entries(TENANTS)) {
      await h.setQuota(tenant, 1, t.quota);
      for (const [project, limits] of Object.entries(t.projects)) await setProjectQuota(h, tenant, project, 1, limits);
    }
  });
  afterAll(async () => {
    await h?.close();
    expect(h.problems).toEqual([]);
  });

  it(`admits each of ${TRIALS} trials exactly once, never over a tenant or project limit at any observed instant`, async () => {
    const specs: TrialSpec[] = Array.from({ length: TRIALS }, () => {
      const tenant = ['t1', 't1', 't2', 't2', 't3'][Math.floor(random() * 5)]!;
      const projects = [...Object.keys(TENANTS[tenant]!.projects), null];
      return {
        tenant, project: projects[Math.floor(random() * projects.length)]!,
        resources: { cpus: random() < 0.5 ? 0.5 : 1, gpus: tenant !== 't3' && random() < 0.4 ? 1 : 0, memoryMb: random() < 0.5 ? 256 : 512 },
      };
    });

    // Sample the active allocations continuously, each sample one consistent statement.
    const observed: string[] = [];
    const peak = new Map<string, number>();
    let samples = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const rows = await h.sql<Row>(
          `SELECT a.tenant, r.project, count(*)::int AS n, sum(a.cpus)::float8 AS cpus, sum(a.gpus)::int AS gpus, sum(a.memory_mb)::int AS "memoryMb"
           FROM compute.allocation a JOIN compute.trial_run r ON r.trial_id = a.trial_id WHERE a.state = 'active'
           GROUP BY GROUPING SETS ((a.tenant), (a.tenant, r.project)) HAVING GROUPING(r.project) = 1 OR r.project IS NOT NULL`,
        );
        samples++;
        const normalised = rows.map((r) => (r.project === undefined ? { ...r, project: null } : r));
        observed.push(...check(normalised));
        for (const r of normalised.filter((x) => x.project === null)) peak.set(r.tenant, Math.max(peak.get(r.tenant) ?? 0, r.n));
        await new Promise((r) => setTimeout(r, 3));
      }
    })();

    const started = Date.now();
    const ids = await publishTrials(h, specs, 'unused');
    await eventually(async () => {
      const [row] = await h.sql<{ n: number }>(`SELECT count(*)::int AS n FROM compute.trial_run WHERE state = 'finished'`);
      return row!.n === TRIALS;
    }, 600_000);
    const seconds = (Date.now() - started) / 1000;
    sampling = false;
    await sampler;

    expect(observed).toEqual([]);
    expect(samples).toBeGreaterThan(50);
    // The limits were tight: every tenant ran at its concurrent-trial cap at some sampled instant.
    expect(Object.fromEntries(peak)).toEqual(Object.fromEntries(Object.entries(TENANTS).map(([t, x]) => [t, x.quota.concurrentTrials])));

    // Each trial: one allocation (admitted once), released, succeeded, one trial.finished event.
    const per = await h.sql<{ trial_id: string; n: number; released: number; ok: boolean }>(
      `SELECT r.trial_id, count(a.id)::int AS n, count(a.id) FILTER (WHERE a.state = 'released')::int AS released, bool_and(r.outcome = 'succeeded') AS ok
       FROM compute.trial_run r LEFT JOIN compute.allocation a ON a.trial_id = r.trial_id GROUP BY r.trial_id`,
    );
    expect(per).toHaveLength(TRIALS);
    expect(per.filter((p) => p.n !== 1 || p.released !== 1 || !p.ok)).toEqual([]);
    const finished = await h.events(TOPICS.trialFinished);
    expect(finished).toHaveLength(TRIALS);
    expect(new Set(finished.map((e) => e.payload.trialId))).toEqual(new Set(ids));
    // All four replicas, in both pools, admitted work.
    const owners = await h.sql<{ pool: string; owners: number }>(`SELECT pool, count(DISTINCT owner)::int AS owners FROM compute.allocation GROUP BY pool ORDER BY pool`);
    expect(owners).toEqual([{ pool: 'alpha', owners: 2 }, { pool: 'beta', owners: 2 }]);

    // The allocation history: at no instant of [admitted_at, released_at) did a tenant or project exceed a limit.
    const history = await h.sql<{ tenant: string; project: string | null; cpus: number; gpus: number; memoryMb: number; a: Date; r: Date }>(
      `SELECT a.tenant, r.project, a.cpus, a.gpus, a.memory_mb AS "memoryMb", a.admitted_at AS a, a.released_at AS r
       FROM compute.allocation a JOIN compute.trial_run r ON r.trial_id = a.trial_id`,
    );
    const fromHistory: string[] = [];
    const groups = new Map<string, typeof history>();
    for (const x of history) {
      for (const key of [`${x.tenant}|`, ...(x.project ? [`${x.tenant}|${x.project}`] : [])]) groups.set(key, [...(groups.get(key) ?? []), x]);
    }
    for (const [key, allocs] of groups) {
      const [tenant, project] = key.split('|') as [string, string];
      const points = allocs.flatMap((x) => [{ t: new Date(x.a).getTime(), s: 1, x }, { t: new Date(x.r).getTime(), s: -1, x }]);
      points.sort((p, q) => p.t - q.t || p.s - q.s); // a release at the same instant comes first
      const used = { n: 0, cpus: 0, gpus: 0, memoryMb: 0 };
      for (const p of points) {
        used.n += p.s;
        used.cpus += p.s * p.x.cpus;
        used.gpus += p.s * p.x.gpus;
        used.memoryMb += p.s * p.x.memoryMb;
        if (p.s > 0) fromHistory.push(...check([{ tenant, project: project || null, ...used }]));
      }
    }
    expect(fromHistory).toEqual([]);
    console.log(`race: ${TRIALS} trials, 4 replicas, ${samples} samples, ${seconds.toFixed(1)} s (${(TRIALS / seconds).toFixed(0)} trials/s)`);
  }, 900_000);
});
