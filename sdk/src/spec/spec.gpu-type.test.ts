import { canonicalJson } from '../json/canonical-json.js';
import { validDocument } from '../testing-internal/spec-fixtures.js';
import { specHash } from './spec.hash.js';
import { normalizeSpec } from './spec.normalize.js';
import { GPU_TYPE_PATTERN } from './spec.schema.js';
import { validateSpec } from './spec.validate.js';

const withResources = (resources: Record<string, unknown>) => {
  const doc = validDocument();
  doc.trial.resources = resources;
  return doc;
};

describe('trial.resources.gpuType', () => {
  it.each(['h100', 'a100-80gb', 'l4', '4090', 'mi300x.v2', 'x_y', 'a'.repeat(64)])('accepts the GPU type %p', (gpuType) => {
    expect(validateSpec(withResources({ gpus: 1, gpuType }))).toEqual([]);
  });

  it.each([
    ['upper case', 'H100'],
    ['a leading dash', '-h100'],
    ['a leading dot', '.h100'],
    ['a space', 'a100 80gb'],
    ['a slash', 'nvidia/h100'],
    ['empty', ''],
    ['65 characters', 'a'.repeat(65)],
  ])('rejects a GPU type with %s', (_title, gpuType) => {
    expect(validateSpec(withResources({ gpus: 1, gpuType }))).toEqual([
      {
        path: 'trial.resources.gpuType',
        message: expect.stringMatching(/^must be a GPU type \(1-64 lower-case letters, digits, "\.", "_" or "-", starting with a letter or digit\), got string/),
      },
    ]);
  });

  it('rejects a GPU type that is not a string', () => {
    const issues = validateSpec(withResources({ gpus: 1, gpuType: 100 }));
    expect(issues.map((i) => i.path)).toEqual(['trial.resources.gpuType']);
    expect(issues[0].message).toMatch(/got number 100/);
  });

  it.each([
    ['gpus 0', { gpus: 0, gpuType: 'h100' }],
    ['gpus left at its default of 0', { gpuType: 'h100' }],
  ])('is an error with %s, naming the field', (_title, resources) => {
    expect(validateSpec(withResources(resources))).toEqual([
      {
        path: 'trial.resources.gpuType',
        message: 'is set to "h100" but trial.resources.gpus is 0: a GPU type only applies to trials that use GPUs (set gpus > 0 or remove gpuType)',
      },
    ]);
  });

  it('reports only the structural problem when gpus itself is wrong', () => {
    expect(validateSpec(withResources({ gpus: -1, gpuType: 'h100' })).map((i) => i.path)).toEqual(['trial.resources.gpus']);
  });

  it('is kept by normalisation and changes the hash', () => {
    const without = normalizeSpec(withResources({ gpus: 2 }));
    const spec = normalizeSpec(withResources({ gpus: 2, gpuType: 'a100-80gb' }));
    expect(spec.trial.resources).toEqual({ cpus: 1, gpus: 2, memoryMb: 512, gpuType: 'a100-80gb' });
    expect(normalizeSpec(spec)).toEqual(spec);
    expect(specHash(spec)).not.toBe(specHash(without));
  });

  it('is left out of the normalised spec when absent, so existing hashes stay the same', () => {
    const spec = normalizeSpec(withResources({ gpus: 2 }));
    expect('gpuType' in spec.trial.resources).toBe(false);
    expect(canonicalJson(spec.trial.resources)).toBe('{"cpus":1,"gpus":2,"memoryMb":512}');
  });

  it('shares its charset with pool device types (GPU_TYPE_PATTERN)', () => {
    const re = new RegExp(GPU_TYPE_PATTERN);
    expect(['h100', 'a100-80gb'].every((t) => re.test(t))).toBe(true);
    expect(['H100', '', '-x', 'a'.repeat(65)].some((t) => re.test(t))).toBe(false);
  });

  describe('a list of GPU types in order of preference (flavor fungibility)', () => {
    it('accepts 1 to 8 different types', () => {
      expect(validateSpec(withResources({ gpus: 1, gpuType: ['h100', 'a100-80gb'] }))).toEqual([]);
      expect(validateSpec(withResources({ gpus: 1, gpuType: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] }))).toEqual([]);
    });

    it.each([
      ['empty', [], /^must be a list of 1 to 8 items, each a GPU type \(1-64 .*\), all different, got an empty list$/],
      ['with 9 types', ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'], /^must be a list of 1 to 8 items, each a GPU type .*, got a list$/],
      ['with a repeated type', ['h100', 'a100', 'h100'], /^must not repeat a value: items \[0\] and \[2\] are both "h100"$/],
    ])('rejects a list %s, naming the field', (_title, gpuType, message) => {
      const issues = validateSpec(withResources({ gpus: 1, gpuType }));
      expect(issues).toHaveLength(1);
      expect(issues[0]!.path).toBe('trial.resources.gpuType');
      expect(issues[0]!.message).toMatch(message);
    });

    it('names the entry that is not a GPU type', () => {
      expect(validateSpec(withResources({ gpus: 1, gpuType: ['h100', 'A100'] }))).toEqual([
        { path: 'trial.resources.gpuType[1]', message: expect.stringMatching(/^must be a GPU type \(1-64 lower-case/) },
      ]);
    });

    it('needs gpus > 0 like a single type', () => {
      expect(validateSpec(withResources({ gpuType: ['h100', 'a100'] }))).toEqual([
        {
          path: 'trial.resources.gpuType',
          message: 'is set to ["h100","a100"] but trial.resources.gpus is 0: a GPU type only applies to trials that use GPUs (set gpus > 0 or remove gpuType)',
        },
      ]);
    });

    it('keeps the order (it is the preference) and normalises a list of one to that type', () => {
      const spec = normalizeSpec(withResources({ gpus: 1, gpuType: ['h100', 'a100-80gb'] }));
      expect(spec.trial.resources.gpuType).toEqual(['h100', 'a100-80gb']);
      expect(specHash(spec)).not.toBe(specHash(normalizeSpec(withResources({ gpus: 1, gpuType: ['a100-80gb', 'h100'] }))));
      const one = normalizeSpec(withResources({ gpus: 1, gpuType: ['h100'] }));
      expect(one.trial.resources.gpuType).toBe('h100');
      expect(specHash(one)).toBe(specHash(normalizeSpec(withResources({ gpus: 1, gpuType: 'h100' }))));
    });
  });
});
