import { GraphQLError } from 'graphql';
import { Arg, Field, Int, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import { createLiveIterator, SOURCES, TOPICS } from '@fairsweep/service-kit';
import type { ComputeContext } from '../../context.js';
import { PoolResourcesType } from './pool.type.js';

@ObjectType('PoolQueueUpdate', { description: 'A pool\'s load at one moment: totals over all tenants, no per-tenant detail.' })
export class PoolQueueUpdateType {
  @Field()
  pool!: string;

  @Field(() => PoolResourcesType)
  capacity!: PoolResourcesType;

  @Field(() => PoolResourcesType)
  used!: PoolResourcesType;

  @Field(() => Int)
  runningTrials!: number;

  @Field(() => Int, { description: 'Trials of all tenants waiting for admission.' })
  queuedTrials!: number;

  @Field()
  at!: Date;
}

async function poolState(ctx: ComputeContext, pool: string): Promise<PoolQueueUpdateType | null> {
  const [row] = await ctx.em.fork().execute<{ cpus: number; gpus: number; memoryMb: number; uc: number; ug: number; um: number; running: number; queued: number }[]>(
    `SELECT p.cpus, p.gpus, p.memory_mb AS "memoryMb",
       coalesce((SELECT sum(cpus) FROM compute.allocation WHERE pool = p.name AND state = 'active'), 0)::float8 AS uc,
       coalesce((SELECT sum(gpus) FROM compute.allocation WHERE pool = p.name AND state = 'active'), 0)::int AS ug,
       coalesce((SELECT sum(memory_mb) FROM compute.allocation WHERE pool = p.name AND state = 'active'), 0)::int AS um,
       (SELECT count(*) FROM compute.allocation WHERE pool = p.name AND state = 'active')::int AS running,
       (SELECT count(*) FROM compute.trial_run WHERE state = 'queued')::int AS queued
     FROM compute.pool p WHERE p.name = ?`,
    [pool],
  );
  if (!row) return null;
  return {
    pool, capacity: { cpus: row.cpus, gpus: row.gpus, memoryMb: row.memoryMb }, used: { cpus: row.uc, gpus: row.ug, memoryMb: row.um },
    runningTrials: row.running, queuedTrials: row.queued, at: new Date(),
  };
}

/** The pool's state now, then again whenever admission or a trial's end changes it (coalesced). */
export async function poolQueueUpdates(ctx: ComputeContext, pool: string): Promise<AsyncIterableIterator<PoolQueueUpdateType>> {
  const first = await poolState(ctx, pool);
  if (!first) throw new GraphQLError(`pool "${pool}" not found`, { extensions: { code: 'NOT_FOUND', service: 'compute', kind: 'pool', id: pool } });
  return createLiveIterator<PoolQueueUpdateType>((push) => {
    let pending = false;
    let chain = Promise.resolve();
    const off = ctx.feed.subscribe(SOURCES.compute, (e) => {
      if (e.topic !== TOPICS.tenantUsageChanged || pending) return;
      pending = true;
      chain = chain.then(async () => {
        pending = false;
        const state = await poolState(ctx, pool).catch(() => null);
        if (state) push(state);
      });
    });
    return off;
  }, [first]);
}

@Resolver()
export class PoolQueueSubscriptionResolver {
  @Subscription(() => PoolQueueUpdateType, {
    description: 'A pool\'s capacity, use and queue length: the current state, then an update at every change.',
    subscribe: ({ args, context }) => poolQueueUpdates(context as ComputeContext, (args as { pool: string }).pool),
  })
  poolQueue(@Root() update: PoolQueueUpdateType, @Arg('pool', () => String) _pool: string): PoolQueueUpdateType {
    return update;
  }
}
