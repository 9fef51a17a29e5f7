/**
 * Seeded fuzzing of parseSpec / normalizeSpec (about 3,000 inputs). Every input must either give a
 * valid normalised spec (which re-validates, normalises to itself and hashes) or throw a SpecError
 * whose issues all have a message, and a path unless they are about the whole document: never
 * another exception, never a hang. Deterministic: a small seeded generator, no Math.random.
 */
import { stringify as yamlStringify } from 'yaml';
import { SpecError } from './spec.error.js';
import { normalizeSpec } from './spec.normalize.js';
import { parseSpec } from './spec.parse.js';
import { specHash } from './spec.hash.js';
import { MAX_NESTING_DEPTH, validateSpec } from './spec.validate.js';
import { validDocument } from '../testing-internal/spec-fixtures.js';
import { Gen } from './spec.arbitrary.js';

type Doc = { [key: string]: any };

const SEED = { seed: () => 7 };
const DOCUMENT_LEVEL = /^(YAML syntax error|YAML error|JSON syntax error|must be a mapping \(an experiment spec)/;
const stats = { valid: 0, rejected: 0, slowest: 0 };

type Outcome = 'valid' | 'rejected';

/** The property. `label` and `input` are only for the failure message. */
function check(label: string, input: unknown, run: () => unknown, opts: { mapping?: boolean } = {}): Outcome {
  const started = performance.now();
  let result: unknown;
  try {
    result = run();
  } catch (error) {
    const elapsed = performance.now() - started;
    stats.slowest = Math.max(stats.slowest, elapsed);
    const where = `${label}: ${describeInput(input)}`;
    if (!(error instanceof SpecError)) {
      throw new Error(`${where}\nthrew ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}\n${(error as Error)?.stack}`);
    }
    if (error.issues.length === 0) throw new Error(`${where}\nSpecError without issues`);
    for (const issue of error.issues) {
      if (typeof issue.path !== 'string' || typeof issue.message !== 'string' || issue.message.trim() === '') {
        throw new Error(`${where}\nmalformed issue ${JSON.stringify(issue)}`);
      }
      if (issue.path === '' && !DOCUMENT_LEVEL.test(issue.message)) throw new Error(`${where}\nissue without a path: ${issue.message}`);
    }
    if (opts.mapping && !error.issues.some((i) => i.path !== '')) {
      throw new Error(`${where}\na mapping document, but no issue names a field: ${error.message}`);
    }
    if (elapsed > 15_000) throw new Error(`${where}\ntook ${elapsed} ms`);
    stats.rejected++;
    return 'rejected';
  }
  const spec = result as Parameters<typeof specHash>[0];
  const issues = validateSpec(spec);
  if (issues.length > 0) throw new Error(`${label}: ${describeInput(input)}\naccepted, but the result does not re-validate: ${JSON.stringify(issues)}`);
  expect(normalizeSpec(spec)).toEqual(spec);
  expect(specHash(spec)).toMatch(/^[0-9a-f]{64}$/);
  const elapsed = performance.now() - started;
  stats.slowest = Math.max(stats.slowest, elapsed);
  if (elapsed > 15_000) throw new Error(`${label}: took ${elapsed} ms`);
  stats.valid++;
  return 'valid';
}

function describeInput(input: unknown): string {
  const text = typeof input === 'string' ? input : safeJson(input);
  return text.length > 400 ? `${JSON.stringify(text.slice(0, 400))}... (${text.length} characters)` : JSON.stringify(text);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function parse(label: string, text: string, format?: 'yaml' | 'json'): Outcome {
  return check(label, text, () => parseSpec(text, { ...SEED, format }));
}

// ---------------------------------------------------------------------------------------------
// Seed documents and texts

function richDocument(): Doc {
  return {
    ...validDocument(),
    description: 'all: the "fields" # here',
    project: 'vision',
    strategy: { name: 'tpe', options: { gamma: 0.25, nested: { list: [1, 'two', null, true], deep: { x: -1e-3 } } } },
    searchSpace: {
      ...validDocument().searchSpace,
      momentum: { type: 'float', low: 0.5, high: 0.99, when: { optimizer: 'sgd' } },
      nesterov: { type: 'categorical', choices: [true, false], when: { optimizer: ['sgd'], layers: [4, 6] } },
      dampening: { type: 'float', low: 0, high: 0.5, when: { nesterov: false } },
    },
    budget: { maxTrials: 50, maxParallel: 8, gpuHours: 12.5, deadline: '1d12h' },
    priority: 'preemptible',
    trial: {
      command: ['python', 'train.py', '--data', '/datasets/cifar10', '--lr={lr}', '--momentum={momentum}', '--seed={seed}', '--out=run-{trial.index}', '--cfg={{"x": 1}}'],
      env: { EPOCHS: '30', EMPTY: '' },
      resources: { cpus: 4, gpus: 1, memoryMb: 16384 },
      executor: 'local',
      maxRuntimeSeconds: 7200,
    },
  };
}

const README_YAML = `# yaml-language-server: $schema=../sdk/schema/experiment-spec.v1.json
apiVersion: fairsweep/v1
kind: Experiment                 # optional
name: resnet-cifar10
description: Learning rate and depth sweep
project: vision
seed: 20240611
searchSpace:
  lr:        { type: float, low: 1.0e-5, high: 1.0e-1, log: true }
  dropout:   { type: float, low: 0.0, high: 0.5 }
  depth:     { type: int, low: 18, high: 50, step: 16 }     # 18, 34, 50
  batch:     { type: int, low: 16, high: 512, log: true }
  optimizer: { type: categorical, choices: [adam, sgd, rmsprop] }
  augment:   { type: categorical, choices: [true, false] }
  momentum:  { type: float, low: 0.5, high: 0.99, when: { optimizer: sgd } }
  nesterov:  { type: categorical, choices: [true, false], when: { optimizer: [sgd], depth: [34, 50] } }
objective:
  metric: val/accuracy
  direction: maximize
strategy:
  name: random
  options: {}
budget:
  maxTrials: 50
  maxParallel: 8
  gpuHours: 40
  deadline: 2030-01-01T00:00:00Z
trial:
  command: [python, train.py, --data, /datasets/cifar10, "--lr={lr}", "--momentum={momentum}", "--seed={seed}"]
  env:
    EPOCHS: "30"
  resources: { cpus: 4, gpus: 1, memoryMb: 16384 }
  executor: local
  maxRuntimeSeconds: 7200
`;

const BASE_TEXTS: string[] = [
  README_YAML,
  JSON.stringify(validDocument()),
  JSON.stringify(richDocument(), null, 2),
  yamlStringify(validDocument()),
  yamlStringify(richDocument()),
  `# flow style (a leading { would be read as JSON)\n${yamlStringify(richDocument(), { collectionStyle: 'flow' })}`,
];

const NOISE = Array.from('{}[]:,"\'#&*!|>%@`-?\t\n\r \\/0.e+~\u0000\u00a0\u2028\uFEFF漢😀');

function mutateText(g: Gen, text: string): string {
  const chars = Array.from(text);
  for (let n = g.int(1, 4); n > 0; n--) {
    const at = g.int(0, chars.length);
    switch (g.int(0, 4)) {
      case 0: // flip a byte of a character
        if (chars.length > 0) chars[Math.min(at, chars.length - 1)] = String.fromCharCode((chars[Math.min(at, chars.length - 1)].charCodeAt(0) ^ (1 << g.int(0, 7))) & 0xffff);
        break;
      case 1:
        chars.splice(at, 0, g.pick(NOISE));
        break;
      case 2:
        chars.splice(at, g.int(1, 5));
        break;
      case 3: // duplicate a slice (repeats keys, brackets, lines)
        chars.splice(at, 0, ...chars.slice(g.int(0, chars.length), g.int(0, chars.length)));
        break;
      default:
        chars.splice(at, 0, String.fromCharCode(g.int(0, 0xffff)));
    }
  }
  return chars.join('');
}

// ---------------------------------------------------------------------------------------------

const WEIRD_VALUES: unknown[] = [
  null, undefined, true, false, 0, -0, 1, -1, 0.5, 1.5, 2 ** 53, -(2 ** 53), 2 ** 32, 1e308, -1e308, 5e-324,
  Infinity, -Infinity, NaN, '', ' ', 'x', 'NaN', '1e309', '-0', 'true', 'null', '0x10', 'FAIRSWEEP_X', '\u0000', 'x'.repeat(10_000),
  [], [null], [1, 2], ['a', 'a'], [[[]]], {}, { a: 1 }, { type: 'float' }, { name: 'x' }, new Date(0), Symbol('s'), 10n, () => 1,
  Object.create(null), new Map([['a', 1]]), new Set([1]), new Uint8Array(3), /re/, new Error('e'),
];

/** Every path to a value in the document, as key lists. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function setAt(doc: Doc, path: (string | number)[], value: unknown, remove = false): void {
  let node: any = doc;
  for (const key of path.slice(0, -1)) node = node[key];
  const last = path[path.length - 1];
  if (remove) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = value;
}

function nestedJson(depth: number, open: string, close: string, inner = '1'): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

describe('spec parser fuzzing', () => {
  const g = new Gen(0x5eedf00d);
  let inputs = 0;

  afterAll(() => {
    // Visible with --verbose; kept short.
    console.log(`spec fuzz: ${inputs} inputs, ${stats.valid} valid, ${stats.rejected} rejected, slowest ${stats.slowest.toFixed(0)} ms`);
  });

  it('accepts the base texts (so mutations start from valid input)', () => {
    for (const text of BASE_TEXTS) expect(() => parseSpec(text, SEED)).not.toThrow();
    inputs += BASE_TEXTS.length;
  });

  it('survives truncation at every kind of position', () => {
    for (let i = 0; i < 500; i++) {
      const text = g.pick(BASE_TEXTS);
      const cut = g.bool(0.2) ? g.int(0, 40) : g.int(0, text.length);
      parse('truncated', text.slice(0, cut), g.pick([undefined, 'yaml', 'json'] as const));
    }
    inputs += 500;
  });

  it('survives random byte flips, insertions, deletions and repeats', () => {
    let valid = 0;
    for (let i = 0; i < 900; i++) {
      if (parse('mutated', mutateText(g, g.pick(BASE_TEXTS))) === 'valid') valid++;
    }
    expect(valid).toBeGreaterThan(20); // some mutations hit comments, strings or whitespace
    inputs += 900;
  });

  it('survives unbalanced brackets and tabs', () => {
    for (let i = 0; i < 300; i++) {
      let text = g.pick(BASE_TEXTS);
      if (i % 3 === 0) {
        const lines = text.split('\n');
        const at = g.int(0, lines.length - 1);
        lines[at] = lines[at].replace(/^( +)/, (m) => (g.bool() ? '\t'.repeat(Math.ceil(m.length / 2)) : `\t${m}`));
        text = lines.join('\n').replace(/: /g, () => (g.bool(0.1) ? ':\t' : ': '));
      } else {
        const brackets = '[]{}';
        for (let n = g.int(1, 3); n > 0; n--) {
          const at = g.int(0, text.length);
          text = g.bool() ? text.slice(0, at) + g.pick(Array.from(brackets)) + text.slice(at) : text.replace(g.pick(Array.from(brackets)), '');
        }
      }
      parse('brackets/tabs', text);
    }
    inputs += 300;
  });

  it('rejects a wrong type (or a missing or extra field) at every field, naming it', () => {
    let count = 0;
    for (const base of [validDocument(), richDocument()]) {
      for (const path of paths(base).slice(1)) {
        for (let k = 0; k < 4; k++) {
          const doc: Doc = JSON.parse(JSON.stringify(base));
          const value = g.pick(WEIRD_VALUES);
          const remove = g.bool(0.1);
          setAt(doc, path, value, remove);
          if (g.bool(0.1)) setAt(doc, [...path.slice(0, -1), 'unknownField'], 1);
          check(`wrong value at ${path.join('.')}`, doc, () => normalizeSpec(doc, SEED), { mapping: true });
          // The same through JSON text where JSON can carry the value (Infinity, NaN become null there).
          const text = safeJson(doc);
          if (text.startsWith('{')) check(`wrong value at ${path.join('.')} (JSON)`, text, () => parseSpec(text, SEED));
          count += 2;
        }
      }
    }
    inputs += count;
    expect(count).toBeGreaterThan(400);
  });

  it('handles huge, tiny, signed and not-a-number spellings of numbers', () => {
    const spellings = ['1e309', '-1e309', '1e-400', '-0', '-0.0', '0e0', '123456789012345678901234567890', '4294967296', '4294967295.0000000001',
      '9007199254740993', '1E+2', '0.1e1', '"NaN"', '"1e309"', '"Infinity"', 'null', 'true', '[]', '{}'];
    const yamlOnly = ['.inf', '-.inf', '.nan', '.NaN', '0x7fffffffffffffffffff', '0o777777777777777777777', '+1', '1_000', '0b101', '1.', '.5', '~', '!!float 1', '!!int "1"', '!!str 1', '!!binary aGk=', '!!timestamp 2001-12-14', '!custom 1'];
    const numberAt = /(?<=: ?)-?\d+(?:\.\d+)?(?:e-?\d+)?(?=[,}\n ])/gi;
    for (let i = 0; i < 300; i++) {
      const yaml = g.bool();
      const base = yaml ? g.pick([README_YAML, BASE_TEXTS[3], BASE_TEXTS[4]]) : g.pick([BASE_TEXTS[1], BASE_TEXTS[2]]);
      const matches = [...base.matchAll(numberAt)];
      const m = g.pick(matches);
      const pool = yaml ? [...spellings, ...yamlOnly] : spellings;
      const text = base.slice(0, m.index) + g.pick(pool) + base.slice((m.index ?? 0) + m[0].length);
      parse('number spelling', text);
    }
    inputs += 300;
  });

  it('rejects documents that are not a mapping', () => {
    const texts = ['', ' ', '\n', '#', '# only a comment\n', '~', 'null', 'true', '0', '-1.5', '"spec"', 'spec', '[]', '[1, 2]', '- a\n- b\n',
      '---', '--- |\n  text\n', '...', '{}', '[', ']', '}', '{', '{"a":', 'a: b\n---\nc: d\n', '%YAML 1.2\n', '%YAML 9.9\n---\na: 1\n', '\uFEFF', '\uFEFF{}',
      '\u0000', 'apiVersion fairsweep/v1', '? complex\n: key\n', '!!map {}', '!!seq []', '!!omap [a: 1]', '!!set {a}', '!!pairs [a: 1]', '&a [*a]', '*unknown', 'null: 1', '~: 1\n'];
    for (const text of texts) {
      for (const format of [undefined, 'yaml', 'json'] as const) parse('not a mapping', text, format);
    }
    for (const value of [null, undefined, 0, '', 'x', [], [validDocument()], true, new Date(0), new Map()]) {
      check('not a mapping', value, () => normalizeSpec(value, SEED));
    }
    inputs += texts.length * 3 + 10;
  });

  it('rejects duplicate keys in YAML at every level; JSON keeps the last (as JSON.parse does)', () => {
    for (const [text, expected] of [
      ['name: a\nname: b\n', /Map keys must be unique/],
      [README_YAML.replace('  maxTrials: 50\n', '  maxTrials: 50\n  maxTrials: 60\n'), /Map keys must be unique/],
      [README_YAML.replace('{ type: float, low: 0.0, high: 0.5 }', '{ type: float, low: 0.0, low: 0.1, high: 0.5 }'), /Map keys must be unique/],
      [README_YAML.replace('  lr: ', '  depth: {type: int, low: 1, high: 2}\n  lr: '), /Map keys must be unique/],
      [README_YAML.replace('EPOCHS: "30"', 'EPOCHS: "30"\n    "EPOCHS": "31"'), /Map keys must be unique/],
    ] as const) {
      expect(() => parseSpec(text, SEED)).toThrow(expected);
      parse('duplicate keys', text);
    }
    // `1` and `"1"` are different YAML keys but the same JavaScript key: not a crash either way.
    parse('colliding keys', README_YAML.replace('options: {}', 'options: {1: a, "1": b}'));
    const json = JSON.stringify(validDocument()).replace('"seed":42', '"seed":1,"seed":42');
    expect(parse('JSON duplicate keys', json)).toBe('valid');
    expect(parseSpec(json).seed).toBe(42);
    inputs += 12;
  });

  it('guards deep nesting: 10,000 levels of JSON or YAML, anywhere in the document', () => {
    const withOptions = (inner: string) => JSON.stringify({ ...validDocument(), strategy: { name: 'tpe', options: { a: 0 } } }).replace('{"a":0}', `{"a":${inner}}`);
    for (const depth of [100, 1000, 10_000, 100_000]) {
      for (const [open, close] of [['[', ']'], ['{"a":', '}']]) {
        parse(`JSON root ${depth}`, nestedJson(depth, open, close), 'json');
        parse(`JSON root ${depth} as YAML`, nestedJson(Math.min(depth, 10_000), open, close), 'yaml');
        const text = withOptions(nestedJson(depth, open, close));
        expect(parse(`JSON options ${depth}`, text)).toBe('rejected');
        expect(() => parseSpec(text)).toThrow(/strategy\.options\.a.*: is nested too deeply: lists and mappings may nest at most 64 levels/);
        parse(`JSON name ${depth}`, JSON.stringify(validDocument()).replace('"resnet-sweep"', nestedJson(depth, open, close)));
      }
      const yamlFlow = README_YAML.replace('options: {}', `options: {a: ${nestedJson(Math.min(depth, 10_000), '[', ']')}}`);
      parse(`YAML flow ${depth}`, yamlFlow);
      const block = Array.from({ length: Math.min(depth, 2000) }, (_, i) => `${' '.repeat(i + 4)}k${i}:`).join('\n');
      const blockText = README_YAML.replace('  options: {}', `  options:\n${block} 1`);
      parse(`YAML block ${depth}`, blockText);
      if (depth >= 10_000) expect(() => parseSpec(blockText)).toThrow(/nested too deeply|Maximum call stack size exceeded/);
      parse(`YAML block sequences ${depth}`, `apiVersion: fairsweep/v1\nname:\n${'- '.repeat(Math.min(depth, 2000))}x\n`);
    }
    inputs += 4 * (2 * 4 + 3);
  });

  it('allows nesting up to the limit in strategy options, and not one level more', () => {
    // Root (1) > strategy (2) > options (3) > the nested lists.
    const at = (lists: number) => ({ ...validDocument(), strategy: { name: 'tpe', options: { a: JSON.parse(nestedJson(lists, '[', ']')) } } });
    const deepest = MAX_NESTING_DEPTH - 3;
    expect(validateSpec(at(deepest))).toEqual([]);
    expect(check('at the limit', null, () => normalizeSpec(at(deepest), SEED))).toBe('valid');
    const issues = validateSpec(at(deepest + 1));
    expect(issues).toEqual([{ path: `strategy.options.a${'[0]'.repeat(deepest)}`, message: expect.stringMatching(/^is nested too deeply/) }]);
    inputs += 2;
  });

  it('rejects cyclic YAML aliases and billion-laughs anchors', () => {
    let laughs = 'apiVersion: fairsweep/v1\nname: lol\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let i = 1; i < 12; i++) laughs += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    const inOptions = README_YAML.replace('options: {}', 'options: {a0: &a0 [x, x, x, x, x, x, x, x], a1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0], a2: &a2 [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1], a3: [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]}');
    const cases: [string, RegExp | 'valid'][] = [
      [laughs, /Excessive alias count/],
      [inOptions, /Excessive alias count/],
      [README_YAML.replace('options: {}', 'options: &x {self: *x}'), /strategy\.options\.self\.self.*is nested too deeply/],
      [README_YAML.replace('options: {}', 'options: {a: &x [*x]}'), /is nested too deeply/],
      [README_YAML.replace('name: resnet-cifar10', 'name: &n [*n]'), /is nested too deeply|name: must be/],
      [`${README_YAML}&doc\n`, /YAML/],
      ['&root {apiVersion: fairsweep/v1, self: *root}', /is nested too deeply/],
      [README_YAML.replace('options: {}', 'options: {a: &s shared, b: *s, c: *s}'), 'valid'],
      [README_YAML.replace('choices: [adam, sgd, rmsprop]', 'choices: [&o adam, sgd, *o]'), /must not repeat a value/],
      [README_YAML.replace('metric: val/accuracy', 'metric: *undefined'), /YAML/],
      [README_YAML.replace('  lr: ', '  *a : x\n  lr: '), /YAML/],
      [README_YAML.replace('options: {}', 'options: {<<: {a: 1}}'), 'valid'],
    ];
    for (const [text, expected] of cases) {
      const outcome = parse('aliases', text);
      if (expected === 'valid') expect(outcome).toBe('valid');
      else expect(() => parseSpec(text, SEED)).toThrow(expected);
    }
    inputs += cases.length;
  });

  it('copes with very long strings, keys and lists', () => {
    const long = 'x'.repeat(300_000);
    const docs: Doc[] = [
      { ...validDocument(), name: long },
      { ...validDocument(), description: long },
      { ...validDocument(), [long]: 1 },
      { ...validDocument(), trial: { command: Array(20_000).fill('a') } },
      { ...validDocument(), trial: { command: ['a'], env: { A: long } } },
      { ...validDocument(), searchSpace: { p: { type: 'categorical', choices: Array.from({ length: 20_000 }, (_, i) => i) } } },
      { ...validDocument(), searchSpace: { p: { type: 'categorical', choices: [...Array.from({ length: 20_000 }, (_, i) => i), 0] } } },
      { ...validDocument(), searchSpace: Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`p${i}`, { type: 'int', low: 0, high: i }])) },
    ];
    for (const doc of docs) {
      check('long', '(long document)', () => normalizeSpec(doc, SEED));
      const json = JSON.stringify(doc);
      check('long (JSON)', '(long JSON)', () => parseSpec(json, SEED));
      const yaml = yamlStringify(doc);
      check('long (YAML)', '(long YAML)', () => parseSpec(yaml, SEED));
    }
    parse('long YAML key', `${'k'.repeat(2000)}: 1\n`);
    inputs += docs.length * 3 + 1;
  });

  it('refuses __proto__ as a parameter name, and keeps it as plain data in env and strategy options', () => {
    const doc = JSON.parse('{"apiVersion":"fairsweep/v1","name":"n","seed":1,"objective":{"metric":"m","direction":"minimize"},"budget":{"maxTrials":1},' +
      '"searchSpace":{"__proto__":{"type":"int","low":0,"high":1},"x":{"type":"int","low":0,"high":1}},"trial":{"command":"x","env":{"__proto__":"v"}},' +
      '"strategy":{"name":"tpe","options":{"__proto__":{"a":1}}}}');
    expect(validateSpec(doc)).toEqual([{ path: 'searchSpace.__proto__', message: expect.stringMatching(/^invalid name "__proto__": reserved/) }]);
    delete doc.searchSpace.__proto__;
    expect(check('__proto__ as data', doc, () => normalizeSpec(doc))).toBe('valid');
    const spec = normalizeSpec(doc);
    expect(Object.keys(spec.trial.env)).toEqual(['__proto__']);
    expect(Object.keys(spec.strategy.options)).toEqual(['__proto__']);
    inputs += 2;
  });

  it('survives random garbage', () => {
    const alphabets = ['{}[]:,"\'#&*!|>%@`-? \t\n', 'abc: \n-[]{}', '\u0000\u0001\u007f\u0085\u00a0\u2028\u2029\uFEFF\uD800\uDC00 :', 'apiVersion fairsweep/v1 name: searchSpace\n '];
    for (let i = 0; i < 300; i++) {
      const alphabet = Array.from(g.pick(alphabets));
      const text = Array.from({ length: g.int(0, 200) }, () => g.pick(alphabet)).join('');
      parse('garbage', g.bool(0.3) ? `{${text}` : text);
    }
    inputs += 300;
  });
});
