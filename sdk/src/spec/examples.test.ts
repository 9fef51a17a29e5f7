import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSpec } from './spec.parse.js';

const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');

describe('the shipped example specs', () => {
  const files = readdirSync(EXAMPLES).filter((f) => /\.ya?ml$/.test(f));

  it('are found', () => {
    expect(files).toEqual(expect.arrayContaining(['quadratic.yaml', 'quadratic-tpe-pruned.yaml']));
  });

  it.each(files)('%s parses as a valid fairsweep/v1 spec', (file) => {
    const spec = parseSpec(readFileSync(join(EXAMPLES, file), 'utf8'));
    expect(spec.apiVersion).toBe('fairsweep/v1');
  });

  it('quadratic-tpe-pruned.yaml searches momentum only for sgd, prunes with median and has a deadline', () => {
    const spec = parseSpec(readFileSync(join(EXAMPLES, 'quadratic-tpe-pruned.yaml'), 'utf8'));
    expect(spec.searchSpace.momentum).toMatchObject({ when: { optimizer: ['sgd'] } });
    expect(spec.pruner).toEqual({ name: 'median', options: { nStartupTrials: 3, nWarmupSteps: 2 } });
    expect(spec.budget).toMatchObject({ maxTrials: 16, maxParallel: 3, deadline: '1800s' });
  });
});
