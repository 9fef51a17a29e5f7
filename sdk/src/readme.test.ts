import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
});
