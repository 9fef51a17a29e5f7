/**
 * Property tests for the canonical spec hash: a few hundred generated valid documents, each
 * rendered many ways (key order, JSON vs YAML, block vs flow, comments, number spellings, explicit
 * vs omitted defaults) must hash the same, and any semantically relevant change must change it.
 * Deterministic: a small seeded generator, no Math.random.
 */
import { stringify as yamlStringify } from 'yaml';
import type { ExperimentSpec } from './spec.types.js';
import { normalizeSpec } from './spec.normalize.js';
import { parseSpec } from './spec.parse.js';
import { specHash } from './spec.hash.js';
import { validateSpec } from './spec.validate.js';
import { checkParamValues } from './param-values.js';
import { canonicalJson } from '../json/canonical-json.js';
import { Gen } from './spec.arbitrary.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Doc = { [key: string]: any };

// ---------------------------------------------------------------------------------------------
// Valid documents

const TEXT = 'abcdefxyzABCXYZ0123456789 _-.:/#\'"\\,[]{}&*!|>%@`?=é漢😀\t';
const IDENT_HEAD = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_';
const IDENT_TAIL = `${IDENT_HEAD}0123456789`;
const TRICKY_NAMES = ['lr', 'x', '_', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'null', 'true', 'False', 'yes', 'No', 'on', 'y', 'inf', 'nan', 'e1'];

function ident(g: Gen): string {
  return g.pick(Array.from(IDENT_HEAD)) + g.string(IDENT_TAIL, 0, 8);
}

function text(g: Gen, min: number, max: number): string {
  return g.string(TEXT, min, max);
}

/** A finite number of a random magnitude and spelling-friendly precision. */
function number(g: Gen): number {
  switch (g.int(0, 5)) {
    case 0:
      return g.int(-1000, 1000);
    case 1:
      return Number((g.next() * 10).toFixed(g.int(1, 4)));
    case 2:
      return Number((g.next() * 10 ** g.int(-8, -1)).toPrecision(g.int(1, 4)));
    case 3:
      return Number((g.next() * 10 ** g.int(1, 12)).toPrecision(g.int(1, 6)));
    case 4:
      return -Number((g.next() * 100).toFixed(g.int(0, 3)));
    default:
      return g.pick([0, 1, 0.1, 0.5, 1e-3, 1e-5, 1e21, 123456789, 2 ** 31]);
  }
}

function jsonValue(g: Gen, depth: number): Json {
  const kind = depth <= 0 ? g.int(0, 3) : g.int(0, 5);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return g.bool();
    case 2:
      return number(g);
    case 3:
      return text(g, 0, 12);
    case 4:
      return Array.from({ length: g.int(0, 3) }, () => jsonValue(g, depth - 1));
    default: {
      const out: { [key: string]: Json } = {};
      for (let i = g.int(0, 3); i > 0; i--) out[g.bool(0.7) ? ident(g) : text(g, 0, 6)] = jsonValue(g, depth - 1);
      return out;
    }
  }
}

function parameter(g: Gen): Doc {
  switch (g.int(0, 2)) {
    case 0: {
      if (g.bool(0.4)) {
        const low = Number((10 ** g.int(-8, 2) * (1 + g.int(0, 9))).toPrecision(3));
        return { type: 'float', low, high: Number((low * g.int(2, 1000)).toPrecision(6)), log: true };
      }
      const low = number(g);
      const high = low + Math.abs(number(g)) + g.pick([1, 0.5, 1e-3, 100]) * Math.max(1, Math.abs(low));
      const p: Doc = { type: 'float', low, high };
      if (g.bool(0.3)) p.log = false;
      return p;
    }
    case 1: {
      if (g.bool(0.3)) {
        const low = g.int(1, 64);
        const p: Doc = { type: 'int', low, high: low + g.int(0, 10_000), log: true };
        if (g.bool(0.3)) p.step = 1;
        return p;
      }
      const low = g.bool(0.2) ? g.int(-(2 ** 40), 2 ** 40) : g.int(-1000, 1000);
      const step = g.int(1, 20);
      const p: Doc = { type: 'int', low, high: low + step * g.int(0, 50) };
      if (step !== 1 || g.bool(0.3)) p.step = step;
      if (g.bool(0.2)) p.log = false;
      return p;
    }
    default: {
      const choices: Json[] = [];
      const pool = (): Json => g.pick<() => Json>([() => number(g), () => text(g, 0, 8), () => g.bool(), () => g.pick(['1', 'true', 'null', 'yes', '', '0.10', '~'])])();
      for (let i = g.int(1, 6); i > 0; i--) {
        const c = pool();
        if (!choices.some((x) => x === c) && !Object.is(c, -0)) choices.push(c);
      }
      return { type: 'categorical', choices };
    }
  }
}

function validDoc(g: Gen): Doc {
  const doc: Doc = { apiVersion: 'fairsweep/v1', name: '' };
  do doc.name = text(g, 1, 40);
  while (!/\S/.test(doc.name));
  if (g.bool(0.3)) doc.kind = 'Experiment';
  if (g.bool(0.4)) doc.description = text(g, 0, 30) + (g.bool(0.3) ? '\nsecond line' : '');
  if (g.bool(0.4)) doc.project = g.bool(0.3) ? null : g.pick(['vision', 'a', 'team-1', '0x', 'nlp-2024']);
  doc.seed = g.pick([0, 4294967295, 1, 42, g.int(0, 4294967295), g.int(0, 4294967295)]);
  const space: Doc = {};
  const upper = new Set<string>();
  for (let n = g.int(1, 5); n > 0; n--) {
    const name = g.bool(0.3) ? g.pick(TRICKY_NAMES) : ident(g);
    if (upper.has(name.toUpperCase())) continue;
    upper.add(name.toUpperCase());
    space[name] = parameter(g);
  }
  addConditions(g, space);
  doc.searchSpace = space;
  doc.objective = { metric: g.pick(['loss', 'val/accuracy', 'train.loss-1', '_m', 'acc@1'.replace('@', '_')]), direction: g.pick(['minimize', 'maximize']) };
  switch (g.int(0, 3)) {
    case 0:
      break;
    case 1:
      doc.strategy = g.pick(['random', 'tpe', 'grid-2']);
      break;
    case 2:
      doc.strategy = { name: g.pick(['random', 'tpe']) };
      break;
    default:
      doc.strategy = { name: 'tpe', options: Object.fromEntries(Array.from({ length: g.int(0, 4) }, () => [ident(g), jsonValue(g, 3)])) };
  }
  doc.budget = { maxTrials: g.pick([1, 2, 3, 4, 5, g.int(1, 10_000)]) };
  if (g.bool(0.4)) doc.budget.maxParallel = g.int(1, 64);
  if (g.bool(0.2)) doc.budget.gpuHours = g.pick([0.5, 1, 24, 1000, number(g) ** 2 + 0.01]);
  if (g.bool(0.2)) doc.budget.deadline = g.pick(['2030-01-01T00:00:00Z', '2030-06-30T23:59:59.5+02:00', '90m', '12h', '2d', '1h30m', '3600s']);
  if (g.bool(0.3)) doc.priority = g.pick(['critical', 'standard', 'preemptible']);
  const trial: Doc = {
    command: g.bool(0.4)
      ? `python train.py --lr ${g.int(1, 9)}e-3`
      : Array.from({ length: g.int(1, 5) }, () => escapeBraces(text(g, 1, 12))),
  };
  addPlaceholders(g, trial, space);
  if (g.bool(0.4)) trial.env = Object.fromEntries(Array.from({ length: g.int(0, 3) }, () => [ident(g), g.pick(['30', '', 'true', text(g, 0, 10)])]));
  if (g.bool(0.5)) {
    const r: Doc = {};
    if (g.bool()) r.cpus = g.pick([0.5, 1, 2, 0.25, 16]);
    if (g.bool()) r.gpus = g.int(0, 8);
    if (g.bool()) r.memoryMb = g.pick([1, 512, 16384, g.int(1, 1_000_000)]);
    trial.resources = r;
  }
  if (g.bool(0.3)) trial.executor = g.pick(['local', 'slurm', 'k8s-job']);
  if (g.bool(0.3)) trial.maxRuntimeSeconds = g.bool(0.3) ? null : g.pick([1, 0.5, 7200, 86400.5]);
  doc.trial = trial;
  return doc;
}

/** Literal braces in a command argument are written doubled (single ones start placeholders). */
function escapeBraces(arg: string): string {
  return arg.replace(/[{}]/g, (c) => c + c);
}

/** Makes some parameters conditional on a categorical or int parent, sometimes nested two deep. */
function addConditions(g: Gen, space: Doc): void {
  const names = Object.keys(space);
  for (let k = g.int(0, 2); k > 0; k--) {
    const parents = Object.keys(space).filter((n) => space[n].type === 'categorical' || (space[n].type === 'int' && !space[n].log));
    if (parents.length === 0) return;
    const parent = g.pick(parents);
    const p = space[parent];
    const values: Json[] = p.type === 'categorical' ? p.choices : Array.from({ length: Math.min(5, (p.high - p.low) / (p.step ?? 1) + 1) }, (_, i) => p.low + i * (p.step ?? 1));
    const subset = g.shuffle(values).slice(0, g.int(1, values.length));
    let child = `${parent}_c${k}`;
    if (Object.hasOwn(space, child) || names.some((n) => n.toUpperCase() === child.toUpperCase())) child = `${child}x`;
    space[child] = parameter(g);
    space[child].when = { [parent]: subset.length === 1 && g.bool() ? subset[0] : subset };
  }
}

/** Sometimes adds placeholder arguments: built-ins, always-active parameters, conditional ones (list form only). */
function addPlaceholders(g: Gen, trial: Doc, space: Doc): void {
  if (!g.bool(0.4)) return;
  const names = Object.keys(space);
  const always = names.filter((n) => space[n].when === undefined);
  const conditional = names.filter((n) => space[n].when !== undefined);
  const pieces = [
    ...(names.includes('seed') ? [] : ['{seed}']),
    '{trial.index}',
    '{trial.seed}',
    ...always.map((n) => g.pick([`{${n}}`, `{params.${n}}`])),
  ];
  const arg = `--p${g.int(0, 9)}=${g.pick(pieces)}${g.bool(0.2) ? '{{x}}' : ''}`;
  if (typeof trial.command === 'string') {
    trial.command = `${trial.command} ${arg}`;
    return;
  }
  trial.command.push(arg);
  if (conditional.length > 0 && trial.command[1] !== '-c') trial.command.push(`--c=${`{${g.pick(conditional)}}`}`);
}

/** The same document with (a random subset of) its defaults written out. */
function withExplicitDefaults(g: Gen, source: Doc): Doc {
  const doc: Doc = clone(source);
  if (doc.kind === undefined && g.bool()) doc.kind = 'Experiment';
  if (doc.description === undefined && g.bool()) doc.description = '';
  if (doc.project === undefined && g.bool()) doc.project = null;
  if (doc.strategy === undefined && g.bool()) doc.strategy = g.pick<Json>(['random', { name: 'random' }, { name: 'random', options: {} }]);
  else if (typeof doc.strategy === 'string' && g.bool()) doc.strategy = g.pick<Json>([{ name: doc.strategy }, { name: doc.strategy, options: {} }]);
  else if (doc.strategy?.options === undefined && typeof doc.strategy === 'object' && g.bool()) doc.strategy.options = {};
  if (doc.budget.maxParallel === undefined && g.bool()) doc.budget.maxParallel = Math.min(doc.budget.maxTrials, 4);
  if (doc.priority === undefined && g.bool()) doc.priority = 'standard';
  for (const p of Object.values<Doc>(doc.searchSpace)) {
    // a condition's values in any order, a single value with or without a list around it
    for (const [parent, values] of Object.entries<Json>(p.when ?? {})) {
      p.when[parent] = Array.isArray(values) ? (values.length === 1 && g.bool() ? values[0] : g.shuffle(values)) : g.bool() ? [values] : values;
    }
    if (p.type !== 'categorical' && p.log === undefined && g.bool()) p.log = false;
    if (p.type === 'int' && p.step === undefined && g.bool()) p.step = 1;
  }
  const t = doc.trial;
  if (typeof t.command === 'string' && g.bool()) t.command = ['/bin/sh', '-c', t.command];
  if (t.env === undefined && g.bool()) t.env = {};
  if (g.bool()) {
    t.resources ??= {};
    if (g.bool()) t.resources.cpus ??= 1;
    if (g.bool()) t.resources.gpus ??= 0;
    if (g.bool()) t.resources.memoryMb ??= 512;
  }
  if (t.executor === undefined && g.bool()) t.executor = 'local';
  if (t.maxRuntimeSeconds === undefined && g.bool()) t.maxRuntimeSeconds = null;
  return doc;
}

/** A deep copy of JSON data (not structuredClone: under jest its objects come from another realm). */
function clone<T>(value: T): T {
  if (Array.isArray(value)) return value.map(clone) as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)])) as T;
  return value;
}

/** Every key order shuffled, at every level (list order kept: it is meaningful). */
function shuffleKeys(g: Gen, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(g, v));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(g.shuffle(Object.entries(value)).map(([k, v]) => [k, shuffleKeys(g, v)]));
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Renderings

/** Other spellings of the same double; `yaml` adds YAML 1.2 core forms JSON does not have. */
function spellNumber(g: Gen, n: number, yaml: boolean): string {
  const forms = [String(n), n.toExponential(), n.toExponential().replace('e+', 'e'), n.toExponential().toUpperCase()];
  const plain = String(n);
  if (/\./.test(plain) && !/e/i.test(plain)) forms.push(`${plain}0`, `${plain}000`);
  if (Number.isInteger(n) && !/e/i.test(plain)) forms.push(`${plain}.0`, `${plain}.00`, `${plain}e0`);
  if (n === 0) forms.push('-0', '-0.0', '0e5');
  if (yaml) {
    if (n >= 0) forms.push(`+${plain}`);
    if (Number.isSafeInteger(n) && n >= 0) forms.push(`0x${n.toString(16)}`, `0X${n.toString(16).toUpperCase()}`.replace('0X', '0x'), `0o${n.toString(8)}`);
    if (/^0\./.test(plain)) forms.push(plain.slice(1));
    if (Number.isInteger(n) && !/e/i.test(plain)) forms.push(`${plain}.`);
  }
  return g.pick(forms);
}

const YAML_RESERVED = /^(?:null|true|false|~|y|n|yes|no|on|off)$/i;

function yamlString(g: Gen, s: string, plainOk: boolean): string {
  if (plainOk && /^[A-Za-z_/][A-Za-z0-9_./-]*$/.test(s) && !YAML_RESERVED.test(s) && g.bool(0.7)) {
    if (!/^(?:inf|nan)$/i.test(s)) return s;
  }
  if (!/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(s) && g.bool(0.4)) return `'${s.replace(/'/g, "''")}'`;
  return JSON.stringify(s);
}

function yamlScalar(g: Gen, v: unknown): string {
  if (v === undefined) throw new Error('undefined in a rendered document');
  if (v === null) return g.pick(['null', '~', 'Null', 'NULL']);
  if (typeof v === 'boolean') return g.pick(v ? ['true', 'True', 'TRUE'] : ['false', 'False', 'FALSE']);
  if (typeof v === 'number') return spellNumber(g, v, true);
  return yamlString(g, v as string, true);
}

function yamlFlow(g: Gen, v: unknown): string {
  const sp = () => ' '.repeat(g.int(0, 2));
  if (Array.isArray(v)) return `[${sp()}${v.map((x) => yamlFlow(g, x)).join(`${sp()},${sp()}`)}${sp()}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v).map(([k, x]) => `${yamlString(g, k, true)}: ${sp()}${yamlFlow(g, x)}`);
    return `{${sp()}${entries.join(`${sp()},${sp()}`)}${sp()}}`;
  }
  return yamlScalar(g, v);
}

function comment(g: Gen): string {
  return g.bool(0.15) ? `${' '.repeat(g.int(1, 3))}# ${g.string('abc :#-\'"{}[]', 0, 12)}` : '';
}

function isNonEmptyContainer(v: unknown): v is object {
  return v !== null && typeof v === 'object' && Object.keys(v).length > 0;
}

function yamlBlock(g: Gen, v: unknown, indent: number, unit: number, flowProb: number): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  const extra = () => {
    if (g.bool(0.05)) lines.push('');
    if (g.bool(0.05)) lines.push(`${' '.repeat(g.int(0, indent))}# a comment line: with [brackets] and 'quotes'`);
  };
  if (Array.isArray(v)) {
    for (const item of v) {
      extra();
      lines.push(`${pad}-${' '.repeat(g.int(1, 2))}${item !== null && typeof item === 'object' ? yamlFlow(g, item) : yamlScalar(g, item)}${comment(g)}`);
    }
    return lines;
  }
  for (const [k, x] of Object.entries(v as object)) {
    extra();
    const key = yamlString(g, k, true);
    if (isNonEmptyContainer(x) && !g.bool(flowProb)) {
      lines.push(`${pad}${key}:${comment(g)}`);
      const child = Array.isArray(x) && g.bool(0.3) ? indent : indent + unit;
      lines.push(...yamlBlock(g, x, child, unit, flowProb));
    } else {
      const value = isNonEmptyContainer(x) || (x !== null && typeof x === 'object') ? yamlFlow(g, x) : yamlScalar(g, x);
      lines.push(`${pad}${key}:${' '.repeat(g.int(1, 3))}${value}${comment(g)}`);
    }
  }
  return lines;
}

function renderYaml(g: Gen, doc: Doc): string {
  const head = g.pick(['', '---\n', '%YAML 1.2\n---\n', '# yaml-language-server: $schema=x.json\n', '\n\n']);
  const tail = g.pick(['', '\n', '...\n', '\n# end\n']);
  if (g.bool(0.15)) return `${head}${yamlFlow(g, doc)}\n${tail}`;
  return `${head}${yamlBlock(g, doc, 0, g.int(1, 4), g.pick([0, 0.3, 0.8])).join(g.bool(0.1) ? '\r\n' : '\n')}\n${tail}`;
}

/** JSON with random whitespace, `\u` escapes and number spellings. */
function renderJson(g: Gen, v: unknown): string {
  const ws = () => g.string(' \n\t\r', 0, 2);
  const str = (s: string) =>
    `"${Array.from(s).map((c) => (/[A-Za-z]/.test(c) && g.bool(0.1) ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : JSON.stringify(c).slice(1, -1))).join('')}"`;
  if (Array.isArray(v)) return `[${ws()}${v.map((x) => renderJson(g, x)).join(`${ws()},${ws()}`)}${ws()}]`;
  if (v !== null && typeof v === 'object') {
    return `{${ws()}${Object.entries(v).map(([k, x]) => `${str(k)}${ws()}:${ws()}${renderJson(g, x)}`).join(`${ws()},${ws()}`)}${ws()}}`;
  }
  if (typeof v === 'number') return spellNumber(g, v, false);
  if (typeof v === 'string') return str(v);
  return JSON.stringify(v);
}

function renderWithLibrary(g: Gen, doc: Doc): string {
  return yamlStringify(doc, {
    collectionStyle: g.pick(['any', 'block', 'flow'] as const),
    defaultStringType: g.pick(['PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'] as const),
    defaultKeyType: g.pick([null, 'PLAIN', 'QUOTE_DOUBLE'] as const),
    indent: g.int(1, 6),
    indentSeq: g.bool(),
    // No folding: yaml 2.9.1's stringify can fold a string into a `>-` block scalar that parses back
    // with an extra leading newline (a library bug, not the spec parser's).
    lineWidth: 0,
  });
}

// ---------------------------------------------------------------------------------------------

const SEED_PICKER = { seed: () => 987654321 };
const CASES = 250;

function cases(seed: number): { g: Gen; doc: Doc; spec: ExperimentSpec; hash: string; canonical: string }[] {
  const g = new Gen(seed);
  return Array.from({ length: CASES }, () => {
    const doc = validDoc(g);
    const issues = validateSpec(doc);
    if (issues.length > 0) throw new Error(`generator made an invalid document: ${JSON.stringify(issues)}\n${JSON.stringify(doc)}`);
    const spec = normalizeSpec(doc, SEED_PICKER);
    return { g, doc, spec, hash: specHash(spec), canonical: canonicalJson(spec) };
  });
}

/** The canonical JSON of the parsed text (what specHash hashes: comparing it gives readable diffs). */
function hashOf(text: string, format?: 'yaml' | 'json'): string {
  try {
    return canonicalJson(parseSpec(text, { ...SEED_PICKER, format }));
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- input ---\n${text}`);
  }
}

/** YAML renderings: a flow-style document starts with `{`, which auto-detection reads as JSON (by design). */
function yamlHashOf(text: string): string {
  return hashOf(text, text.trimStart().startsWith('{') ? 'yaml' : undefined);
}

describe('specHash properties over generated valid specs', () => {
  const all = cases(0xfa1e5eed);

  it('normalised specs re-validate, normalise to themselves and survive a JSON round trip', () => {
    for (const { spec, hash } of all) {
      expect(validateSpec(spec)).toEqual([]);
      expect(normalizeSpec(spec)).toEqual(spec);
      expect(specHash(normalizeSpec(JSON.parse(JSON.stringify(spec))))).toBe(hash);
      expect(canonicalJson(JSON.parse(canonicalJson(spec)))).toBe(canonicalJson(spec));
    }
  });

  it('does not depend on key order', () => {
    for (const { g, doc, hash, canonical } of all) {
      expect(specHash(normalizeSpec(shuffleKeys(g, doc), SEED_PICKER))).toBe(hash);
      expect(hashOf(JSON.stringify(shuffleKeys(g, doc)))).toBe(canonical);
    }
  });

  it('is the same for JSON and YAML renderings, whatever the style, whitespace, comments or number spelling', () => {
    for (const { g, doc, hash, canonical } of all) {
      expect(specHash(parseSpec(renderYaml(g, doc), { ...SEED_PICKER, format: 'yaml' }))).toBe(hash);
      for (let i = 0; i < 3; i++) {
        const shuffled = shuffleKeys(g, doc) as Doc;
        expect(hashOf(renderJson(g, shuffled))).toBe(canonical);
        expect(yamlHashOf(renderYaml(g, shuffled))).toBe(canonical);
      }
      expect(yamlHashOf(renderWithLibrary(g, shuffleKeys(g, doc) as Doc))).toBe(canonical);
      // JSON is (for these documents) YAML 1.2 as well.
      expect(hashOf(JSON.stringify(doc, null, g.int(0, 4)), 'yaml')).toBe(canonical);
    }
  });

  it('is the same with defaults written out or left out', () => {
    for (const { g, doc, spec, hash, canonical } of all) {
      expect(specHash(normalizeSpec(withExplicitDefaults(g, doc), SEED_PICKER))).toBe(hash);
      expect(yamlHashOf(renderYaml(g, withExplicitDefaults(g, doc)))).toBe(canonical);
      // The normalised spec is the document with every default explicit.
      expect(yamlHashOf(renderYaml(g, shuffleKeys(g, spec) as Doc))).toBe(canonical);
    }
  });

  it('changes when any semantically relevant value changes', () => {
    type Mutation = [label: string, change: (d: Doc, g: Gen) => void];
    const firstParam = (d: Doc, type?: string): Doc | undefined =>
      Object.values<Doc>(d.searchSpace).find((p) => type === undefined || p.type === type);
    const mutations: Mutation[] = [
      ['seed', (d) => (d.seed = (d.seed + 1) % 2 ** 32)],
      ['seed (other)', (d, g) => (d.seed = (d.seed + g.int(2, 1000)) % 2 ** 32)],
      ['name', (d) => (d.name = `${d.name}x`)],
      ['description', (d) => (d.description = `${d.description ?? ''}.`)],
      ['project', (d) => (d.project = d.project === 'other' ? null : 'other')],
      ['float low', (d) => { const p = firstParam(d, 'float'); if (p) p.low = p.low - (Math.abs(p.low) || 1) / 2; }],
      ['float high', (d) => { const p = firstParam(d, 'float'); if (p) p.high = p.high * 2 + 1; }],
      ['float log', (d) => { const p = firstParam(d, 'float'); if (p) p.log = !(p.log ?? false); }],
      ['int high', (d) => { const p = firstParam(d, 'int'); if (p) p.high = p.high + (p.step ?? 1); }],
      ['int low', (d) => { const p = firstParam(d, 'int'); if (p) p.low = p.low - (p.step ?? 1); }],
      ['int step', (d) => { const p = firstParam(d, 'int'); if (p && p.low === p.high) p.step = (p.step ?? 1) + 1; else if (p) { p.high = p.low + 2 * (p.high - p.low); p.step = 2 * (p.step ?? 1); } }],
      ['choice replaced', (d) => { const p = firstParam(d, 'categorical'); if (p) p.choices[0] = typeof p.choices[0] === 'string' ? `${p.choices[0]}!` : `${p.choices[0]}`; }],
      ['choice added', (d) => { const p = firstParam(d, 'categorical'); if (p) p.choices.push('a-new-choice'); }],
      ['choice removed', (d) => { const p = firstParam(d, 'categorical'); if (p) p.choices.pop(); }],
      ['choice type', (d) => { const p = firstParam(d, 'categorical'); if (p) p.choices = p.choices.map((c: Json) => (typeof c === 'number' ? String(c) : c)); }],
      ['parameter type', (d) => { const p = firstParam(d, 'int'); if (p) p.type = 'float'; }],
      ['parameter renamed', (d) => { const [k] = Object.keys(d.searchSpace); d.searchSpace[`${k}_2`] = d.searchSpace[k]; delete d.searchSpace[k]; }],
      ['parameter added', (d) => (d.searchSpace.zz_extra = { type: 'int', low: 0, high: 1 })],
      ['metric', (d) => (d.objective.metric = `${d.objective.metric}2`)],
      ['direction', (d) => (d.objective.direction = d.objective.direction === 'minimize' ? 'maximize' : 'minimize')],
      ['strategy name', (d) => (d.strategy = typeof d.strategy === 'object' ? { ...d.strategy, name: 'other' } : 'other')],
      ['strategy options', (d) => (d.strategy = { name: typeof d.strategy === 'string' ? d.strategy : d.strategy?.name ?? 'random', options: { ...(d.strategy?.options ?? {}), extra: 1 } })],
      ['maxTrials', (d) => (d.budget.maxTrials += 1)],
      ['maxParallel', (d) => (d.budget.maxParallel = (d.budget.maxParallel ?? Math.min(d.budget.maxTrials, 4)) + 1)],
      ['priority', (d) => (d.priority = d.priority === 'critical' ? 'preemptible' : 'critical')],
      ['command', (d) => (d.trial.command = typeof d.trial.command === 'string' ? [d.trial.command] : [...d.trial.command, '--x'])],
      ['command argument', (d) => (d.trial.command = typeof d.trial.command === 'string' ? `${d.trial.command} ` : d.trial.command.map((a: string, i: number) => (i === 0 ? `${a}_` : a)))],
      ['env', (d) => (d.trial.env = { ...(d.trial.env ?? {}), NEW_VAR: 'v' })],
      ['cpus', (d) => (d.trial.resources = { ...(d.trial.resources ?? {}), cpus: (d.trial.resources?.cpus ?? 1) + 0.5 })],
      ['gpus', (d) => (d.trial.resources = { ...(d.trial.resources ?? {}), gpus: (d.trial.resources?.gpus ?? 0) + 1 })],
      ['memoryMb', (d) => (d.trial.resources = { ...(d.trial.resources ?? {}), memoryMb: (d.trial.resources?.memoryMb ?? 512) + 1 })],
      ['executor', (d) => (d.trial.executor = d.trial.executor === 'slurm' ? 'local' : 'slurm')],
      ['maxRuntimeSeconds', (d) => (d.trial.maxRuntimeSeconds = (d.trial.maxRuntimeSeconds ?? 10) + 1)],
      ['gpuHours', (d) => (d.budget.gpuHours = (d.budget.gpuHours ?? 1) * 2)],
      ['deadline', (d) => (d.budget.deadline = d.budget.deadline === '7h' ? '8h' : '7h')],
      ['condition added', (d) => {
        const parent = Object.keys(d.searchSpace).find((n) => d.searchSpace[n].type === 'categorical' && d.searchSpace[n].when === undefined);
        const child = Object.keys(d.searchSpace).find((n) => n !== parent && d.searchSpace[n].when === undefined);
        if (parent && child) d.searchSpace[child].when = { [parent]: d.searchSpace[parent].choices[0] };
      }],
      ['condition removed', (d) => { const p = Object.values<Doc>(d.searchSpace).find((x) => x.when !== undefined); if (p) delete p.when; }],
      ['condition values', (d) => {
        const p = Object.values<Doc>(d.searchSpace).find((x) => x.when !== undefined);
        if (!p) return;
        const [parent] = Object.keys(p.when);
        const spec = d.searchSpace[parent];
        const all: Json[] = spec.type === 'categorical' ? spec.choices : [spec.low];
        const current = Array.isArray(p.when[parent]) ? p.when[parent] : [p.when[parent]];
        const other = all.find((v) => !current.some((c: Json) => c === v));
        p.when[parent] = other === undefined ? current.slice(0, -1) : [...current, other];
      }],
      ['placeholder', (d) => { if (Array.isArray(d.trial.command)) d.trial.command = [...d.trial.command, '{trial.index}']; }],
    ];
    const applied = new Map<string, number>();
    for (const [index, { g, doc, hash, canonical }] of all.entries()) {
      for (const [label, change] of mutations) {
        const mutated = clone(doc);
        change(mutated, g);
        if (validateSpec(mutated).length > 0) continue; // e.g. a float low moved onto a log scale's 0
        const spec = normalizeSpec(mutated, SEED_PICKER);
        if (canonicalJson(spec) === canonical) continue; // nothing to change in this document
        if (specHash(spec) === hash) throw new Error(`hash unchanged by "${label}": ${JSON.stringify(doc)}`);
        // The change survives a trip through YAML too (sampled: parsing is the slow part).
        if (index % 10 === 0) expect(yamlHashOf(renderYaml(g, mutated))).toBe(canonicalJson(spec));
        applied.set(label, (applied.get(label) ?? 0) + 1);
      }
    }
    // Every mutation really ran on a good share of the documents.
    for (const [label] of mutations) expect([label, (applied.get(label) ?? 0) >= 25]).toEqual([label, true]);
  });

  it('checkParamValues looks at own keys only (inherited names such as toString are not parameters)', () => {
    const space = normalizeSpec({
      apiVersion: 'fairsweep/v1', name: 'n', seed: 1, objective: { metric: 'm', direction: 'minimize' }, budget: { maxTrials: 1 }, trial: { command: 'x' },
      searchSpace: { constructor: { type: 'int', low: 0, high: 2 }, x: { type: 'categorical', choices: ['a'] } },
    }).searchSpace;
    expect(checkParamValues(space, { constructor: 1, x: 'a' })).toEqual([]);
    expect(checkParamValues(space, { constructor: 1, x: 'a', toString: 3 })).toEqual(['toString: not a parameter of the search space']);
    expect(checkParamValues(space, { x: 'a' })).toEqual(['constructor: missing']);
  });
});
