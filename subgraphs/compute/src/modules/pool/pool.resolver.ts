import { Ctx, Query, Resolver } from 'type-graphql';
import type { ComputeContext } from '../../context.js';
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
}

@Resolver(() => PoolType)
export class PoolResolver {
  @Query(() => [PoolType], { description: 'Resource pools with capacity and total usage (no per-tenant detail).' })
  async pools(@Ctx() ctx: ComputeContext): Promise<PoolType[]> {
    const rows = await ctx.em.execute<PoolRow[]>(
      `SELECT p.name, p.cpus, p.gpus, p.memory_mb AS "memoryMb", p.gpu_ids AS "gpuIds", p.executor_name AS "executorName",
         p.executor_version AS "executorVersion", p.executor_api_version AS "executorApiVersion",
         p.device_type AS "deviceType", p.throughput_factor AS "throughputFactor",
         coalesce(sum(a.cpus), 0)::float8 AS "usedCpus", coalesce(sum(a.gpus), 0)::int AS "usedGpus",
         coalesce(sum(a.memory_mb), 0)::int AS "usedMemoryMb", count(a.id)::int AS "runningTrials"
       FROM compute.pool p LEFT JOIN compute.allocation a ON a.pool = p.name AND a.state = 'active'
       GROUP BY p.name ORDER BY p.name`,
    );
    return rows.map((r) => ({
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
    }));
  }

  @Query(() => [InstalledExecutorType], { description: 'Executor plugins installed in this deployment (one per pool, distinct).' })
  async executors(@Ctx() ctx: ComputeContext): Promise<InstalledExecutorType[]> {
    return ctx.em.execute<InstalledExecutorType[]>(
      `SELECT DISTINCT executor_name AS name, 'executor' AS kind, executor_version AS version, executor_api_version AS "apiVersion"
       FROM compute.pool WHERE executor_name IS NOT NULL ORDER BY 1`,
    );
  }
}
