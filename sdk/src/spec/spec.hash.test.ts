import { createHash } from 'node:crypto';
import { canonicalJson } from '../json/canonical-json.js';
import { validDocument } from '../testing-internal/spec-fixtures.js';
import { specHash } from './spec.hash.js';
import { normalizeSpec } from './spec.normalize.js';

describe('specHash', () => {
  it('is the SHA-256 of the canonical JSON, in hex', () => {
    const spec = normalizeSpec(validDocument());
    expect(specHash(spec)).toMatch(/^[0-9a-f]{64}$/);
    expect(specHash(spec)).toBe(createHash('sha256').update(canonicalJson(spec)).digest('hex'));
  });

  it('does not depend on key order, and changes with any value', () => {
    const spec = normalizeSpec(validDocument());
    const reordered = Object.fromEntries(Object.entries(spec).reverse()) as typeof spec;
    expect(Object.keys(reordered)[0]).toBe('trial');
    expect(specHash(reordered)).toBe(specHash(spec));
    expect(specHash({ ...spec, seed: 43 })).not.toBe(specHash(spec));
  });

  it('is pinned for a known spec (changing it breaks stored experiment identities)', () => {
    const spec = normalizeSpec(validDocument());
    expect(canonicalJson(spec)).toBe(
      '{"apiVersion":"fairsweep/v1","budget":{"maxParallel":4,"maxTrials":20},"description":"","kind":"Experiment",' +
        '"name":"resnet-sweep","objective":{"direction":"minimize","metric":"val/loss"},"priority":"standard","project":null,' +
        '"searchSpace":{"layers":{"high":8,"log":false,"low":2,"step":2,"type":"int"},"lr":{"high":0.1,"log":true,"low":0.00001,"type":"float"},' +
        '"optimizer":{"choices":["adam","sgd"],"type":"categorical"}},"seed":42,"strategy":{"name":"random","options":{}},' +
        '"trial":{"command":["python","train.py"],"env":{},"executor":"local","maxRuntimeSeconds":null,' +
        '"resources":{"cpus":1,"gpus":0,"memoryMb":512}}}',
    );
  });
});
