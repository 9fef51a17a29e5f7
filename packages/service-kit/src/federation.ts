import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { type GraphQLSchema, parse, specifiedDirectives } from 'graphql';
import { buildSchema, createResolversMap, type BuildSchemaOptions } from 'type-graphql';

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag"])';

/** `__resolveReference` functions by type name; each must enforce the caller's tenant filter. */
export type ReferenceResolvers = Record<string, (reference: Record<string, unknown>, context: unknown) => unknown>;

/**
 * Builds an Apollo Federation v2 subgraph schema from type-graphql resolvers
 * (the pattern of type-graphql's apollo-federation-2 example).
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck'>,
  referenceResolvers: ReferenceResolvers = {},
): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    // Subscriptions declare their own `subscribe` (fed by the event feed); no topic-based PubSub.
    pubSub: {
      publish: () => {
        throw new Error('topic-based PubSub is not used: subscriptions declare `subscribe`');
      },
      subscribe: () => {
        throw new Error('topic-based PubSub is not used: subscriptions declare `subscribe`');
      },
    },
    ...options,
    skipCheck: true,
    validate: false,
    directives: [...specifiedDirectives],
  });
  const typeDefs = parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`);
  const resolvers = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const [typeName, resolve] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] ?? {}), __resolveReference: resolve };
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return buildSubgraphSchema([{ typeDefs, resolvers: resolvers as any }]);
}
