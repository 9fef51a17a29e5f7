import { GraphQLError } from 'graphql';
import { Arg, Resolver, Root, Subscription } from 'type-graphql';
import { createLiveIterator, SOURCES, TOPICS } from '@fairsweep/service-kit';
import type { ComputeContext } from '../../context.js';
import { readQuotas, readUsage } from './usage.reader.js';
import { remainingQuota } from './usage.rules.js';
import { TenantQuotaUpdateType } from './tenant.type.js';

async function currentState(ctx: ComputeContext, tenant: string): Promise<TenantQuotaUpdateType> {
  const [[usage], [quota]] = await Promise.all([readUsage(ctx.em, [tenant]), readQuotas(ctx.em, [tenant])]);
  return { tenant, usage: usage!, remaining: remainingQuota(quota ?? null, usage!), at: new Date() };
}

/**
 * The current state first, then one update per `tenant.usage.changed` of that tenant, in order.
 * Only for tenants the caller may see (others: NOT_FOUND, as if the tenant did not exist).
 */
export function tenantQuotaUpdates(ctx: ComputeContext, tenant: string): AsyncIterableIterator<TenantQuotaUpdateType> {
  if (!ctx.principal.canSee(tenant)) {
    throw new GraphQLError(`tenant "${tenant}" not found`, { extensions: { code: 'NOT_FOUND', service: 'compute', kind: 'tenant', id: tenant } });
  }
  return createLiveIterator<TenantQuotaUpdateType>((push) => {
    let chain = currentState(ctx, tenant).then(push);
    const off = ctx.feed.subscribe(SOURCES.compute, (e) => {
      if (e.topic !== TOPICS.tenantUsageChanged || e.tenant !== tenant) return;
      chain = chain.catch(() => undefined).then(async () => push(await currentState(ctx, tenant)));
    });
    return off;
  });
}

@Resolver()
export class TenantQuotaSubscriptionResolver {
  @Subscription(() => TenantQuotaUpdateType, {
    description: "A tenant's usage and remaining quota: the current state, then an update at every change.",
    subscribe: ({ args, context }) => tenantQuotaUpdates(context as ComputeContext, (args as { tenant: string }).tenant),
  })
  tenantQuota(@Root() update: TenantQuotaUpdateType, @Arg('tenant', () => String) _tenant: string): TenantQuotaUpdateType {
    return update;
  }
}
