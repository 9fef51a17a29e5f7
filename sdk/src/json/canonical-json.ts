/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, `undefined` members
 * dropped (list items that are `undefined` become `null`, as in JSON.stringify), `-0` written as
 * `0`, numbers in ECMAScript's shortest round-trip form. Equal JSON data gives equal strings; for
 * finite numbers this matches RFC 8785 (JCS). Throws on what JSON cannot carry faithfully
 * (non-finite numbers, bigint, cycles).
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set()) ?? 'null';
}

function write(value: unknown, stack: Set<object>): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: cannot encode the non-finite number ${value}`);
      return Object.is(value, -0) ? '0' : JSON.stringify(value);
    case 'bigint':
      throw new TypeError('canonicalJson: cannot encode a bigint');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  const object = value as object;
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
    return write((object as { toJSON: () => unknown }).toJSON(), stack);
  }
  if (stack.has(object)) throw new TypeError('canonicalJson: cannot encode a cyclic structure');
  stack.add(object);
  try {
    if (Array.isArray(object)) return `[${object.map((item) => write(item, stack) ?? 'null').join(',')}]`;
    const members: string[] = [];
    for (const key of Object.keys(object).sort()) {
      const encoded = write((object as Record<string, unknown>)[key], stack);
      if (encoded !== undefined) members.push(`${JSON.stringify(key)}:${encoded}`);
    }
    return `{${members.join(',')}}`;
  } finally {
    stack.delete(object);
  }
}
