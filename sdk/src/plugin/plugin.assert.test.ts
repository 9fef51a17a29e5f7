import { assertPlugin, PluginShapeError } from './plugin.assert.js';

const strategy = () => ({ name: 'grid', kind: 'strategy', apiVersion: '1', version: '1.0.0', suggest: () => ({ params: {} }) });
const executor = () => ({
  name: 'slurm', kind: 'executor', apiVersion: '1', version: '0.2.0',
  submit: async () => undefined, cancel: async () => undefined, onEvent: () => () => undefined, close: async () => undefined,
});

function problemsOf(value: unknown, kind: 'strategy' | 'executor'): string[] {
  try {
    assertPlugin(value, kind);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(PluginShapeError);
    return (error as PluginShapeError).problems;
  }
}

describe('assertPlugin', () => {
  it('accepts well-formed plugins', () => {
    expect(problemsOf(strategy(), 'strategy')).toEqual([]);
    expect(problemsOf(executor(), 'executor')).toEqual([]);
  });

  it.each([
    ['missing name', 'strategy', { ...strategy(), name: undefined }, 'missing name: set `name` to a non-empty string'],
    ['wrong kind', 'strategy', { ...strategy(), kind: 'executor' }, 'wrong kind: expected kind "strategy", got "executor"'],
    ['unsupported apiVersion', 'strategy', { ...strategy(), apiVersion: '2' }, 'unsupported apiVersion "2": this SDK supports "1"'],
    ['missing apiVersion', 'executor', { ...executor(), apiVersion: undefined }, 'unsupported apiVersion undefined: this SDK supports "1"'],
    ['missing version', 'strategy', { ...strategy(), version: '' }, 'missing version: set `version` to the plugin package version'],
    ['missing suggest', 'strategy', { ...strategy(), suggest: 'no' }, 'missing method suggest()'],
    ['missing cancel', 'executor', { ...executor(), cancel: undefined }, 'missing method cancel()'],
  ] as const)('reports %s', (_title, kind, value, problem) => {
    expect(problemsOf(value, kind)).toEqual([problem]);
  });

  it('lists every failure and names the plugin in the message', () => {
    const value = { name: 'mine', kind: 'executor', apiVersion: '0' };
    expect(() => assertPlugin(value, 'strategy')).toThrow(
      'strategy plugin "mine" is not a valid plugin:\n' +
        '  - wrong kind: expected kind "strategy", got "executor"\n' +
        '  - unsupported apiVersion "0": this SDK supports "1"\n' +
        '  - missing version: set `version` to the plugin package version\n' +
        '  - missing method suggest()',
    );
  });

  it.each([null, undefined, 'random', 3])('refuses %p', (value) => {
    expect(() => assertPlugin(value, 'executor')).toThrow(/executor plugin is not a valid plugin:\n {2}- expected an object/);
  });
});
