/** Wording for error messages, generated from the JSON Schema nodes of the spec format. */

type SchemaNode = Record<string, unknown>;

/** What a schema node allows, as a phrase: "an integer >= 1", "one of "minimize", "maximize"". */
export function describeSchema(node: SchemaNode): string {
  if (typeof node.title === 'string') return node.title;
  if ('const' in node) return JSON.stringify(node.const);
  if (Array.isArray(node.enum)) return `one of ${node.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if (Array.isArray(node.anyOf)) return joinOr((node.anyOf as SchemaNode[]).map(describeSchema));
  const types = Array.isArray(node.type) ? (node.type as string[]) : typeof node.type === 'string' ? [node.type] : [];
  if (types.length === 0) return 'a value';
  return joinOr(types.map((t) => describeType(t, node)));
}

function describeType(type: string, node: SchemaNode): string {
  switch (type) {
    case 'integer':
      return `an integer${describeRange(node)}`;
    case 'number':
      return `a number${describeRange(node)}`;
    case 'string':
      return describeString(node);
    case 'boolean':
      return 'a boolean';
    case 'null':
      return 'null';
    case 'array': {
      const min = typeof node.minItems === 'number' ? node.minItems : 0;
      const max = typeof node.maxItems === 'number' ? node.maxItems : undefined;
      const list = max !== undefined ? `a list of ${min} to ${max} items`
        : min > 0 ? `a list of at least ${min} item${min === 1 ? '' : 's'}` : 'a list';
      const distinct = node.uniqueItems === true ? ', all different' : '';
      const items = node.items ? `, each ${describeSchema(node.items as SchemaNode)}` : '';
      return `${list}${items}${distinct}`;
    }
    case 'object': {
      const props = node.properties ? Object.keys(node.properties as object) : [];
      return props.length > 0 ? `a mapping with fields ${props.join(', ')}` : 'a mapping';
    }
    default:
      return type;
  }
}

function describeRange(node: SchemaNode): string {
  const { minimum, maximum, exclusiveMinimum } = node;
  if (typeof minimum === 'number' && typeof maximum === 'number') return ` between ${minimum} and ${maximum}`;
  if (typeof minimum === 'number') return ` >= ${minimum}`;
  if (typeof exclusiveMinimum === 'number') return ` > ${exclusiveMinimum}`;
  if (typeof maximum === 'number') return ` <= ${maximum}`;
  return '';
}

function describeString(node: SchemaNode): string {
  const min = typeof node.minLength === 'number' ? node.minLength : 0;
  const max = typeof node.maxLength === 'number' ? node.maxLength : undefined;
  if (max !== undefined) return `a string of ${min} to ${max} characters`;
  if (min === 1) return 'a non-empty string';
  if (min > 1) return `a string of at least ${min} characters`;
  return 'a string';
}

function joinOr(parts: string[]): string {
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
}

/** The closest allowed name, for "did you mean" hints; undefined when nothing is close. */
export function closestName(name: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of allowed) {
    // The distance is at least the difference in length: skipping those keeps a huge name cheap.
    if (Math.abs(candidate.length - name.length) >= bestDistance) continue;
    const d = candidate.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length];
}
