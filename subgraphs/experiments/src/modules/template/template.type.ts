import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType('ExperimentTemplateVersion', { description: 'One immutable version of a project\'s experiment template (a partial spec that specs extend).' })
export class TemplateVersionType {
  @Field(() => ID) id!: string;
  @Field({ description: 'Tenant slug.' }) tenant!: string;
  @Field({ description: 'Project slug.' }) project!: string;
  @Field({ description: 'Template name, as a spec names it in `extends: <name>` or `<name>@<version>`.' }) name!: string;
  @Field(() => Int, { description: '1, 2, ...; each publish adds one.' }) version!: number;
  @Field(() => GraphQLJSON, { description: 'The partial spec document, as published.' }) document!: unknown;
  @Field({ description: 'SHA-256 of the document\'s canonical JSON, recorded on experiments resolved from it.' }) hash!: string;
  @Field({ description: 'Who published this version.' }) createdBy!: string;
  @Field() createdAt!: Date;
  @Field({ description: 'Why this version was published.' }) reason!: string;
}

@ObjectType('ExperimentTemplateRef', { description: 'The template version an experiment\'s spec was resolved from (provenance).' })
export class TemplateRefType {
  @Field() name!: string;
  @Field(() => Int) version!: number;
  @Field() hash!: string;
}
