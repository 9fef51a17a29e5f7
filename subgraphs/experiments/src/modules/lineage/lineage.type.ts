import { GraphQLJSON } from 'graphql-scalars';
import { Field, ObjectType, registerEnumType } from 'type-graphql';

export enum LineageDirectionEnum {
  ANCESTORS = 'ancestors',
  DESCENDANTS = 'descendants',
  BOTH = 'both',
}
registerEnumType(LineageDirectionEnum, {
  name: 'LineageDirection',
  description: 'Which way a lineage traversal follows rerun links: to parents, to children, or both.',
});

export enum LineageFormatEnum {
  PROV_JSON = 'prov-json',
  OPENLINEAGE = 'openlineage',
}
registerEnumType(LineageFormatEnum, {
  name: 'LineageFormat',
  description: 'PROV_JSON: one W3C PROV-JSON document. OPENLINEAGE: a list of OpenLineage run events, one per experiment.',
});

@ObjectType('LineageNode', { description: 'An experiment, or something an experiment used or was started by.' })
export class LineageNodeType {
  @Field({ description: 'Stable id: experiment:<uuid>, code:<commit>[+<diff sha256>], lockfile:<sha256>, image:<digest>, runtime:<name>@<version>, artifact:<uuid>, agent:<subject>.' })
  id!: string;

  @Field({ description: 'experiment, code, lockfile, image, runtime, artifact or agent.' })
  kind!: string;

  @Field()
  label!: string;

  @Field(() => GraphQLJSON)
  attributes!: Record<string, unknown>;
}

@ObjectType('LineageEdge', { description: 'A PROV relation between two nodes.' })
export class LineageEdgeType {
  @Field()
  from!: string;

  @Field()
  to!: string;

  @Field({ description: 'wasDerivedFrom (rerun → original), used (experiment → input), wasGeneratedBy (artifact → experiment) or wasAssociatedWith (experiment → submitter).' })
  relation!: string;
}

@ObjectType('LineageGraph')
export class LineageGraphType {
  @Field({ description: 'The node the traversal started from.' })
  root!: string;

  @Field(() => [LineageNodeType])
  nodes!: LineageNodeType[];

  @Field(() => [LineageEdgeType])
  edges!: LineageEdgeType[];
}
