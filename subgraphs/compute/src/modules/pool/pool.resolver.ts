import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { FairsweepError } from '@fairsweep/service-kit';
import type { ComputeContext } from '../../context.js';
import { POOL_LIVE_SQL } from '../admission/snapshot.columns.js';
import { decommissionPool } from './pool.store.js';
import { InstalledExecutorType, PoolType } from './pool.type.js';

interface PoolRow {
  name: string;
  cpus: number;
  gpus: number;
  memoryMb: number;
  gpuIds: string[];
  deviceType: string | null;
  throughputFactor: number | null;
  usedCpus: number;
  usedGpus: number;
  usedMemoryMb: number;
  runningTrials: number;
  executorName: string | null;
  executorVersion: string | null;
  executorApiVersion: string | null;
  live: boolean;
  lastSeenAt: Date | null;
  decommissionedAt: Date | null;
  decommissionedBy: string | null;
  decommissionReason: string | null;
}

const POOLS_SQL = `SELECT p.name, p.cpus, p.gpus, p.memory_mb AS "memoryMb", p.gpu_ids AS "gpuIds", p.executor_name AS "executorName",
    p.executor_version AS "executorVersion", p.executor_api_version AS "executorApiVersion",
    p.device_type AS "deviceType", p.throughput_factor AS "throughputFactor",
    ${POOL_LIVE_SQL} AS live, coalesce(p.last_seen_at, p.updated_at) AS "lastSeenAt",
    p.decommissioned_at AS "decommissionedAt", p.decommissioned_by AS "decommissionedBy", p.decommission_reason AS "decommissionReason",
    coalesce(sum(a.cpus), 0)::float8 AS "usedCpus", coalesce(sum(a.gpus), 0)::int AS "usedGpus",
    coalesce(sum(a.memory_mb), 0)::int AS "usedMemoryMb", count(a.id)::int AS "runningTrials"
  FROM compute.pool p LEFT JOIN compute.allocation a ON a.pool = p.name AND a.state = 'active'`;

function poolOf(r: PoolRow): PoolType {
  return {
    name: r.name,
    capacity: { cpus: r.cpus, gpus: r.gpus, memoryMb: r.memoryMb },
    used: { cpus: r.usedCpus, gpus: r.usedGpus, memoryMb: r.usedMemoryMb },
    runningTrials: r.runningTrials,
    gpuIds: r.gpuIds,
    deviceType: r.deviceType,
    throughputFactor: r.throughputFactor === null ? null : Number(r.throughputFactor),
    executor: r.executorName
      ? { name: r.executorName, kind: 'executor', version: r.executorVersion ?? '', apiVersion: r.executorApiVersion ?? '' }
      : null,
    live: r.live,
    lastSeenAt: r.lastSeenAt === null ? null : new Date(r.lastSeenAt),
    decommissionedAt: r.decommissionedAt === null ? null : new Date(r.decommissionedAt),
    decommissionedBy: r.decommissionedBy,
    decommissionReason: r.decommissionReason,
  };
}

@Resolver(() => PoolType)
export class PoolResolver {
  @Query(() => [PoolType], { description: 'Resource pools with capacity and total usage (no per-tenant detail).' })
  async pools(@Ctx() ctx: ComputeContext): Promise<PoolType[]> {
    const rows = await ctx.em.execute<PoolRow[]>(`${POOLS_SQL} GROUP BY p.name ORDER BY p.name`);
    return rows.map(poolOf);
  }

  @Mutation(() => PoolType, {
    description: 'Marks a pool whose compute processes are gone for good as decommissioned (platform admins only): routing forgets it at once instead of after 24 h, so trials naming its executor or GPU type stop waiting for it; attempts it still held are released as lost and retried elsewhere. Refused (CONFLICT) while a replica of it runs; starting a compute process with the pool again brings it back.',
  })
  async decommissionPool(
    @Arg('name', () => ID) name: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: ComputeContext,
  ): Promise<PoolType> {
    if (!ctx.principal.isPlatformAdmin) throw new FairsweepError('FORBIDDEN', 'only platform admins may decommission pools', { action: 'decommission pools' });
    await ctx.em.transactional((em) => decommissionPool(em, name, ctx.principal.subject, reason));
    const [row] = await ctx.em.execute<PoolRow[]>(`${POOLS_SQL} WHERE p.name = ? GROUP BY p.name`, [name]);
    return poolOf(row!);
  }

  @Query(() => [InstalledExecutorType], { description: 'Executor plugins installed in this deployment (one per pool, distinct).' })
  async executors(@Ctx() ctx: ComputeContext): Promise<InstalledExecutorType[]> {
    return ctx.em.execute<InstalledExecutorType[]>(
      `SELECT DISTINCT executor_name AS name, 'executor' AS kind, executor_version AS version, executor_api_version AS "apiVersion"
       FROM compute.pool WHERE executor_name IS NOT NULL ORDER BY 1`,
    );
  }
}
