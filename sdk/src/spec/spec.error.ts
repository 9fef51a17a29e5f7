/** One problem found in a spec: where (a dotted path such as `searchSpace.lr.low`) and what. */
export interface SpecIssue {
  /** Dotted path from the document root, list items as `[i]`; `''` is the document itself. */
  path: string;
  /** What was wrong and what is allowed. */
  message: string;
}

/** Thrown by `parseSpec` and `normalizeSpec`; lists every issue found, not just the first. */
export class SpecError extends Error {
  readonly issues: SpecIssue[];

  constructor(issues: SpecIssue[]) {
    super(formatSpecIssues(issues));
    this.name = 'SpecError';
    this.issues = issues;
  }
}

/** `invalid experiment spec` followed by one `path: message` line per issue. */
export function formatSpecIssues(issues: readonly SpecIssue[]): string {
  const lines = issues.map((i) => `  ${i.path === '' ? '(document)' : i.path}: ${i.message}`);
  return ['invalid experiment spec', ...lines].join('\n');
}

/** Appends a key or list index to a dotted path. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  const segment = /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key) ? key : JSON.stringify(key);
  if (base === '') return segment;
  return segment.startsWith('"') ? `${base}[${segment}]` : `${base}.${segment}`;
}

/** How a value reads in a message: `string "ten"`, `number 3`, `null`, `a list`, `a mapping`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  switch (typeof value) {
    case 'string':
      return `string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'object':
      return Object.keys(value as object).length === 0 ? 'an empty mapping' : 'a mapping';
    default:
      return typeof value;
  }
}
