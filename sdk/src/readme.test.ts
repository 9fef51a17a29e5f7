import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStudy } from './ask-tell/study.ask-tell.js';
import { PRUNER_API_VERSION, type PruneContext } from './pruner/pruner.types.js';
import { createRng } from './random/rng.js';
import { sampleParameter } from './random/sample.js';
import { deriveTrialSeed } from './random/trial-seed.js';
import { STRATEGY_API_VERSION, type SuggestContext } from './strategy/strategy.types.js';
import { SpecError } from './spec/spec.error.js';
import { parseSpec } from './spec/spec.parse.js';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  it('has a full spec example that parses, and uses every field', () => {
    const example = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const spec = parseSpec(example!);
    expect(spec.name).toBe('resnet-cifar10');
    expect(spec.searchSpace.depth).toEqual({ type: 'int', low: 18, high: 50, step: 16, log: false });
    for (const key of ['kind', 'description', 'project', 'seed', 'strategy', 'maxParallel', 'env', 'resources', 'executor', 'maxRuntimeSeconds']) {
      expect(example).toContain(`${key}:`);
    }
  });

  it('shows the error message that the code gives', () => {
    const example = /```yaml\n([\s\S]*?)```/.exec(readme)![1]
      .replace('maxTrials: 50', 'maxTrials: ten')
      .replace('step: 16', 'step: 12')
      .replace('executor: local', 'executor: local\n  gpu: 1');
    let message = '';
    try {
      parseSpec(example);
    } catch (error) {
      expect(error).toBeInstanceOf(SpecError);
      message = (error as Error).message;
    }
    const shown = /```\n(invalid experiment spec\n[\s\S]*?)```/.exec(readme)![1].trim();
    expect(message.split('\n').sort()).toEqual(shown.split('\n').sort());
  });

  it('runs the ask-and-tell example (plugins replaced by minimal stand-ins: the SDK cannot depend on them)', () => {
    const code = /```ts ask-tell\n([\s\S]*?)```/.exec(readme)![1]!;
    const body = code.replace(/^import .*$/gm, '').replace('study.best();', 'return study;');
    const createTpeStrategy = () => ({
      name: 'tpe', kind: 'strategy', apiVersion: STRATEGY_API_VERSION, version: '0',
      suggest: (ctx: SuggestContext) => {
        const rng = createRng(deriveTrialSeed(ctx.experimentSeed, ctx.trialIndex), 'readme');
        return { params: Object.fromEntries(Object.keys(ctx.space).sort().map((n) => [n, sampleParameter(ctx.space[n]!, rng)])) };
      },
    });
    const createMedianPruner = () => ({
      name: 'median', kind: 'pruner', apiVersion: PRUNER_API_VERSION, version: '0',
      shouldPrune: (ctx: PruneContext) => ({ prune: ctx.value > 20, reason: 'stand-in' }),
    });
    const study = new Function('createStudy', 'createTpeStrategy', 'createMedianPruner', body)(createStudy, createTpeStrategy, createMedianPruner) as ReturnType<typeof createStudy>;
    expect(study.trials()).toHaveLength(20);
    expect(study.trials().every((t) => t.state === 'succeeded' || t.state === 'pruned')).toBe(true);
    expect(study.best()).not.toBeNull();
  });
});
