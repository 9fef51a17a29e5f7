import { Field, ObjectType, Query, Resolver } from 'type-graphql';
import { installedStrategyPlugins } from './strategy.registry.js';

@ObjectType('InstalledStrategy', { description: 'A search strategy plugin installed in this deployment.' })
export class InstalledStrategyType {
  @Field({ description: 'The name a spec uses in strategy.name.' })
  name!: string;

  @Field({ description: 'Always "strategy".' })
  kind!: string;

  @Field({ description: 'Plugin package version, recorded with every suggestion.' })
  version!: string;

  @Field({ description: 'SDK plugin API version it implements.' })
  apiVersion!: string;
}

@Resolver()
export class StrategyResolver {
  @Query(() => [InstalledStrategyType], { description: 'Search strategies installed in this deployment.' })
  strategies(): InstalledStrategyType[] {
    return installedStrategyPlugins();
  }
}
