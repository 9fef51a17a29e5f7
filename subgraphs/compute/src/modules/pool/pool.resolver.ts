import { Ctx, Query, Resolver } from 'type-graphql';
import type { ComputeContext } from '../../context.js';
import { PoolType } from './pool.type.js';

interface PoolRow {
  name: string;
  cpus: number;
  gpus: number;
  memoryMb: number;
  gpuIds: string[];
  usedCpus: number;
  usedGpus: number;
  usedMemoryMb: number;
  runningTrials: number;
}

@Resolver(() => PoolType)
export class PoolResolver {
  @Query(() => [PoolType], { description: 'Resource pools with capacity and total usage (no per-tenant detail).' })
  async pools(@Ctx() ctx: ComputeContext): Promise<PoolType[]> {
    const rows = await ctx.em.execute<PoolRow[]>(
      `SELECT p.name, p.cpus, p.gpus, p.memory_mb AS "memoryMb", p.gpu_ids AS "gpuIds",
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
    }));
  }
}
