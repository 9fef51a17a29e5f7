import { SpecError } from './spec.error.js';
import { parseSpec } from './spec.parse.js';
import { normalizeSpec } from './spec.normalize.js';
import { specHash } from './spec.hash.js';
import { validDocument } from '../testing-internal/spec-fixtures.js';

const yaml = `
apiVersion: fairsweep/v1
name: tiny
searchSpace:
  lr: { type: float, low: 1e-4, high: 1e-1, log: true }
  units: { type: int, low: 16, high: 256, step: 16 }
  act: { type: categorical, choices: [relu, tanh, "yes", no] }
objective: { metric: loss, direction: minimize }
budget: { maxTrials: 10 }
trial:
  command: python train.py
`;

describe('parseSpec', () => {
  it('normalises a YAML file, making every default explicit', () => {
    const spec = parseSpec(yaml, { seed: () => 7 });
    expect(spec).toEqual({
      apiVersion: 'fairsweep/v1',
      kind: 'Experiment',
      name: 'tiny',
      description: '',
      project: null,
      seed: 7,
      searchSpace: {
        lr: { type: 'float', low: 1e-4, high: 0.1, log: true },
        units: { type: 'int', low: 16, high: 256, step: 16, log: false },
        act: { type: 'categorical', choices: ['relu', 'tanh', 'yes', 'no'] },
      },
      objective: { metric: 'loss', direction: 'minimize' },
      strategy: { name: 'random', options: {} },
      budget: { maxTrials: 10, maxParallel: 4 },
      priority: 'standard',
      trial: {
        command: ['/bin/sh', '-c', 'python train.py'],
        env: {},
        resources: { cpus: 1, gpus: 0, memoryMb: 512 },
        executor: 'local',
        maxRuntimeSeconds: null,
      },
    });
  });

  it('takes a pruner by name or with options, and leaves the section out when there is none', () => {
    const bare = parseSpec(yaml, { seed: () => 7 });
    expect('pruner' in bare).toBe(false);
    expect(parseSpec(`${yaml}pruner: median\n`, { seed: () => 7 }).pruner).toEqual({ name: 'median', options: {} });
    const withOptions = parseSpec(`${yaml}pruner: { name: asha, options: { minResource: 2, reductionFactor: 3 } }\n`, { seed: () => 7 });
    expect(withOptions.pruner).toEqual({ name: 'asha', options: { minResource: 2, reductionFactor: 3 } });
    // An optional section that is off does not change the hash of specs written before it existed.
    expect(specHash(bare)).not.toBe(specHash(withOptions));
    expect(() => parseSpec(`${yaml}pruner: { name: Median }\n`)).toThrow(/pruner\.name/);
  });

  it('reads JSON, detected from the leading brace', () => {
    const spec = parseSpec(`  ${JSON.stringify(validDocument())}`);
    expect(spec.seed).toBe(42);
    expect(spec.budget.maxParallel).toBe(4);
  });

  it('sets maxParallel to maxTrials when that is below 4', () => {
    const doc = validDocument();
    doc.budget.maxTrials = 2;
    expect(normalizeSpec(doc).budget.maxParallel).toBe(2);
  });

  it('picks a random uint32 seed when the file has none', () => {
    const seeds = new Set(Array.from({ length: 5 }, () => parseSpec(yaml).seed));
    for (const seed of seeds) expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true);
    expect(seeds.size).toBeGreaterThan(1);
  });

  it('keeps the seed written in the file', () => {
    expect(parseSpec(`${yaml}seed: 123\n`, { seed: () => 7 }).seed).toBe(123);
  });

  it('refuses a seed picker that returns a non-uint32', () => {
    expect(() => parseSpec(yaml, { seed: () => -1 })).toThrow(/seed must be an integer in 0..4294967295/);
  });

  it('normalising a normalised spec changes nothing', () => {
    const spec = parseSpec(yaml, { seed: () => 7 });
    expect(normalizeSpec(spec)).toEqual(spec);
    expect(specHash(normalizeSpec(spec))).toBe(specHash(spec));
  });

  it('does not share objects with its input', () => {
    const doc = validDocument();
    doc.strategy = { name: 'tpe', options: { nested: { a: 1 } } };
    const spec = normalizeSpec(doc);
    doc.strategy.options.nested.a = 2;
    doc.trial.command.push('--x');
    expect(spec.strategy.options).toEqual({ nested: { a: 1 } });
    expect(spec.trial.command).toEqual(['python', 'train.py']);
  });

  it('throws SpecError with every issue and a readable message', () => {
    const bad = yaml.replace('maxTrials: 10', 'maxTrials: ten').replace('low: 16', 'low: 17');
    let error: unknown;
    try {
      parseSpec(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    const specError = error as SpecError;
    expect(specError.issues.map((i) => i.path)).toEqual(['budget.maxTrials', 'searchSpace.units.step']);
    expect(specError.message).toBe(
      [
        'invalid experiment spec',
        '  budget.maxTrials: must be an integer >= 1, got string "ten"',
        '  searchSpace.units.step: must divide high - low (256 - 17 = 239), got 16: set high to 241 or 257, or use a step that divides 239',
      ].join('\n'),
    );
  });

  it.each([
    ['a YAML syntax error', 'name: [unclosed\nfoo: 1\n', undefined, /^YAML syntax error at line \d+, column \d+: /],
    ['duplicate YAML keys', 'name: a\nname: b\n', undefined, 'YAML syntax error at line 2, column 1: Map keys must be unique'],
    ['several YAML documents', 'name: a\n---\nname: b\n', undefined, /^YAML syntax error at line 2, column 1: Source contains multiple documents/],
    ['a JSON syntax error', '{\n  "name": "a",\n}', undefined, /^JSON syntax error at line 3, column 1: /],
    ['JSON forced on YAML text', 'name: a', 'json' as const, /^JSON syntax error/],
  ])('reports %s with its position', (_title, text, format, message) => {
    try {
      parseSpec(text, { format });
      throw new Error('expected a SpecError');
    } catch (e) {
      expect(e).toBeInstanceOf(SpecError);
      const issues = (e as SpecError).issues;
      expect(issues[0].path).toBe('');
      expect(issues[0].message).toMatch(message);
    }
  });

  it('reads YAML 1.2: yes/no stay strings and 1e-3 is a number', () => {
    const spec = parseSpec(yaml, { seed: () => 1 });
    expect(spec.searchSpace.act).toEqual({ type: 'categorical', choices: ['relu', 'tanh', 'yes', 'no'] });
    expect(spec.searchSpace.lr).toMatchObject({ low: 0.0001 });
  });

  it('rejects an empty file clearly', () => {
    expect(() => parseSpec('')).toThrow(/\(document\): must be a mapping \(an experiment spec/);
  });

  it('rejects non-finite YAML numbers where numbers are required', () => {
    expect(() => parseSpec(yaml.replace('high: 1e-1', 'high: .inf'))).toThrow(/searchSpace.lr.high: must be a number, got number Infinity/);
  });
});
