import { installedStrategies } from './strategy.registry.js';
import { loadPrunerPlugins, loadStrategyPlugins, prunerPluginsFromEnv } from './strategy.loader.js';
import { installedPruners } from '../prune/pruner.registry.js';

const good = (name: string) => () => ({ name, kind: 'strategy', apiVersion: '1', version: '1.2.3', suggest: () => ({ params: {} }) });
const modules: Record<string, unknown> = {
  '@acme/strategy-good': { default: good('acme-good') },
  '@acme/strategy-bare': good('acme-bare'),
  '@acme/wrong-kind': { default: () => ({ name: 'x', kind: 'executor', apiVersion: '1', version: '1.0.0', suggest: () => ({ params: {} }) }) },
  '@acme/future-api': { default: () => ({ name: 'y', kind: 'strategy', apiVersion: '2', version: '1.0.0', suggest: () => ({ params: {} }) }) },
  '@acme/no-suggest': { default: () => ({ name: 'z', kind: 'strategy', apiVersion: '1', version: '1.0.0' }) },
  '@acme/not-a-factory': { default: { name: 'w' } },
  '@acme/clash': { default: good('random') },
};
const load = (id: string) => {
  if (!(id in modules)) throw new Error(`Cannot find module '${id}'`);
  return modules[id];
};

describe('loading strategy plugins by package name', () => {
  it('installs well-formed plugins under their own names', () => {
    expect(loadStrategyPlugins(['@acme/strategy-good', '@acme/strategy-bare'], load)).toEqual(['acme-good', 'acme-bare']);
    expect(installedStrategies()).toEqual(expect.arrayContaining(['acme-good', 'acme-bare', 'random', 'tpe', 'grid']));
  });

  it('refuses, naming each plugin, what is wrong and what is expected', () => {
    const ids = ['@acme/wrong-kind', '@acme/future-api', '@acme/no-suggest', '@acme/not-a-factory', '@acme/missing', '@acme/clash'];
    let message = '';
    try {
      loadStrategyPlugins(ids, load);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'refusing to start with invalid plugins:',
      '  - strategy plugin "@acme/wrong-kind": wrong kind: expected kind "strategy", got "executor"',
      '  - strategy plugin "@acme/future-api": unsupported apiVersion "2": this SDK supports "1"',
      '  - strategy plugin "@acme/no-suggest": missing method suggest()',
      '  - strategy plugin "@acme/not-a-factory": its default export must be a factory function (options) => strategy, got object',
      "  - strategy plugin \"@acme/missing\": cannot be loaded (Cannot find module '@acme/missing'); install the package or fix the name",
      '  - strategy plugin "@acme/clash": strategy "random" is already installed',
    ]);
  });
});

describe('loading pruner plugins by package name', () => {
  const pruner = (over: Record<string, unknown>) => ({ default: () => ({ name: 'acme-patience', kind: 'pruner', apiVersion: '1', version: '0.2.0', shouldPrune: () => ({ prune: false, reason: 'ok' }), ...over }) });
  const pruners: Record<string, unknown> = {
    '@acme/pruner-patience': pruner({}),
    '@acme/pruner-future': pruner({ name: 'future', apiVersion: '2' }),
    '@acme/pruner-nodecide': pruner({ name: 'nodecide', shouldPrune: undefined }),
    '@acme/pruner-clash': pruner({ name: 'median' }),
  };
  const loadPruner = (id: string) => {
    if (!(id in pruners)) throw new Error(`Cannot find module '${id}'`);
    return pruners[id];
  };

  it('installs a well-formed pruner and refuses bad ones with one line each', () => {
    expect(loadPrunerPlugins(['@acme/pruner-patience'], loadPruner)).toEqual(['acme-patience']);
    expect(installedPruners()).toEqual(['acme-patience', 'asha', 'hyperband', 'median']);
    expect(() => loadPrunerPlugins(['@acme/pruner-future', '@acme/pruner-nodecide', '@acme/pruner-clash'], loadPruner)).toThrow([
      'refusing to start with invalid plugins:',
      '  - pruner plugin "@acme/pruner-future": unsupported apiVersion "2": this SDK supports "1"',
      '  - pruner plugin "@acme/pruner-nodecide": missing method shouldPrune()',
      '  - pruner plugin "@acme/pruner-clash": pruner "median" is already installed',
    ].join('\n'));
    expect(prunerPluginsFromEnv({ FAIRSWEEP_PRUNER_PLUGINS: ' @acme/a, ./b ,' })).toEqual(['@acme/a', './b']);
  });
});
