import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { closestName, describeSchema } from './spec.describe.js';
import { describeValue, joinPath, type SpecIssue } from './spec.error.js';
import { SPEC_JSON_SCHEMA } from './spec.schema.js';

type SchemaNode = Record<string, unknown>;

let compiled: ValidateFunction | undefined;

/** Compiled on first use, so importing the SDK (in a trial, say) stays cheap. */
function validator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(SPEC_JSON_SCHEMA);
  return compiled;
}

/** Checks a document against SPEC_JSON_SCHEMA and words every failure as a SpecIssue. */
export function structuralIssues(document: unknown): SpecIssue[] {
  const validate = validator();
  if (validate(document)) return [];
  const errors = pruneAlternatives(validate.errors ?? []);
  const issues: SpecIssue[] = [];
  const valueIssueAt = new Set<string>();
  for (const error of errors) {
    const path = toDottedPath(document, error.instancePath);
    const parent = (error.parentSchema ?? {}) as SchemaNode;
    switch (error.keyword) {
      case 'if':
        break;
      case 'additionalProperties': {
        const field = String(error.params.additionalProperty);
        const allowed = Object.keys((parent.properties ?? {}) as object);
        const hint = closestName(field, allowed);
        issues.push({
          path: joinPath(path, field),
          message: `unknown field ${JSON.stringify(field)}${hint ? ` (did you mean "${hint}"?)` : ''}; allowed fields: ${allowed.join(', ')}`,
        });
        break;
      }
      case 'required': {
        const field = String(error.params.missingProperty);
        const properties = (parent.properties ?? (path === '' ? SPEC_JSON_SCHEMA.properties : {})) as Record<string, SchemaNode>;
        const fieldSchema = properties[field] ?? {};
        issues.push({ path: joinPath(path, field), message: `is required (${describeSchema(fieldSchema)})` });
        break;
      }
      case 'propertyNames': {
        const name = String(error.params.propertyName);
        const rule = describeSchema((parent.propertyNames ?? {}) as SchemaNode);
        issues.push({ path: joinPath(path, name), message: `invalid name ${JSON.stringify(name)}: must be ${rule}` });
        break;
      }
      case 'uniqueItems': {
        const { i, j } = error.params as { i: number; j: number };
        const list = error.data as unknown[];
        const [first, second] = [Math.min(i, j), Math.max(i, j)];
        issues.push({
          path,
          message: `must not repeat a value: items [${first}] and [${second}] are both ${JSON.stringify(list[first])}`,
        });
        break;
      }
      default: {
        if (valueIssueAt.has(path)) break;
        valueIssueAt.add(path);
        issues.push({ path, message: `must be ${describeSchema(parent)}, got ${describeValue(error.data)}` });
      }
    }
  }
  return issues;
}

/**
 * For each failed `anyOf`: when the value's JSON type picks out exactly one alternative, keep that
 * alternative's errors (they are precise) and drop the rest; otherwise keep only the `anyOf` error.
 * Errors about a property name (reported again by `propertyNames`) are dropped too.
 */
function pruneAlternatives(errors: ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  for (const error of errors) {
    if ('propertyName' in error) dropped.add(error);
    if (error.keyword !== 'anyOf') continue;
    const alternatives = ((error.parentSchema as SchemaNode).anyOf ?? []) as SchemaNode[];
    const matching = alternatives.flatMap((alt, index) => (typeMatches(alt, error.data) ? [index] : []));
    const keep = matching.length === 1 ? `${error.schemaPath}/${matching[0]}/` : undefined;
    for (const other of errors) {
      if (!other.schemaPath.startsWith(`${error.schemaPath}/`)) continue;
      if (keep === undefined || !other.schemaPath.startsWith(keep)) dropped.add(other);
    }
    if (keep !== undefined) dropped.add(error);
  }
  return errors.filter((e) => !dropped.has(e));
}

function typeMatches(schema: SchemaNode, data: unknown): boolean {
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  const actual = data === null ? 'null' : Array.isArray(data) ? 'array' : typeof data;
  return types.some((t) => t === actual || (t === 'integer' && actual === 'number'));
}

/** `/searchSpace/opt/choices/1` → `searchSpace.opt.choices[1]`, using the data to tell lists apart. */
function toDottedPath(root: unknown, pointer: string): string {
  if (pointer === '') return '';
  let path = '';
  let node = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const index = Array.isArray(node) ? Number(key) : NaN;
    path = Number.isInteger(index) ? joinPath(path, index) : joinPath(path, key);
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return path;
}
