import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it.each([
    ['sorts keys at every depth', { b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } }, '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}'],
    ['drops undefined members', { a: undefined, b: 1 }, '{"b":1}'],
    ['writes undefined list items as null', [1, undefined, 2], '[1,null,2]'],
    ['writes -0 as 0', { x: -0, y: [-0] }, '{"x":0,"y":[0]}'],
    ['uses shortest number forms', [1e-7, 1.5, 100, 1e21, 0.1 + 0.2], '[1e-7,1.5,100,1e+21,0.30000000000000004]'],
    ['escapes strings like JSON', { 'k"\n': 'é\u0001' }, '{"k\\"\\n":"é\\u0001"}'],
    ['sorts by UTF-16 code units', { b: 1, B: 2, é: 3, a: 4 }, '{"B":2,"a":4,"b":1,"é":3}'],
    ['encodes dates through toJSON', { at: new Date(0) }, '{"at":"1970-01-01T00:00:00.000Z"}'],
    ['encodes top-level undefined as null', undefined, 'null'],
    ['has no whitespace', { a: [1, 2], b: { c: null } }, '{"a":[1,2],"b":{"c":null}}'],
  ])('%s', (_title, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it.each([
    ['NaN', { x: NaN }],
    ['Infinity', [Infinity]],
    ['a bigint', { x: BigInt(1) }],
  ])('refuses %s', (_title, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });

  it('refuses cycles but allows shared (acyclic) objects', () => {
    const shared = { a: 1 };
    expect(canonicalJson({ x: shared, y: shared })).toBe('{"x":{"a":1},"y":{"a":1}}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cyclic/);
  });
});
