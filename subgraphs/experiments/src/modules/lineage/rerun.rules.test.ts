import { installedExecutors, rerunOverrideProblem, rerunSpec, specOverrides } from './rerun.rules.js';

describe('rerun rules', () => {
  const parent = { seed: 7, searchSpace: { x: { type: 'float', low: 0, high: 1 } }, trial: { executor: 'local', command: ['node', 'a.js'] } };

  it('knows the built-in executor, FAIRSWEEP_EXECUTORS and FAIRSWEEP_EXECUTOR', () => {
    expect(installedExecutors({})).toEqual(['local']);
    expect(installedExecutors({ FAIRSWEEP_EXECUTORS: ' slurm, kubernetes ,', FAIRSWEEP_EXECUTOR: 'slurm' })).toEqual(['local', 'slurm', 'kubernetes']);
  });

  it('overrides only the executor, leaving the parent\'s spec as it was', () => {
    const child = rerunSpec(parent, { executor: 'slurm' });
    expect(child).toEqual({ ...parent, trial: { ...parent.trial, executor: 'slurm' } });
    expect(parent.trial.executor).toBe('local');
    expect(rerunSpec(parent, { executor: null })).toEqual(parent);
  });

  it('refuses executors that are not installed, naming those that are', () => {
    expect(rerunOverrideProblem({ executor: 'k8s' }, ['local', 'slurm'])).toEqual({ field: 'executor', message: '"k8s" is not an installed executor; installed: local, slurm' });
    expect(rerunOverrideProblem({ executor: ' ' }, ['local'])?.message).toMatch(/empty name/);
    expect(rerunOverrideProblem({ executor: 'slurm' }, ['local', 'slurm'])).toBeNull();
    expect(rerunOverrideProblem({}, ['local'])).toBeNull();
  });

  it('reports the override as the difference of the two specs, by path', () => {
    expect(specOverrides(parent, rerunSpec(parent, { executor: 'slurm' }))).toEqual([{ path: 'trial.executor', parent: 'local', child: 'slurm' }]);
    expect(specOverrides(parent, structuredClone(parent))).toEqual([]);
    expect(specOverrides({ a: { z: 1, y: [1, 2] } }, { a: { y: [1, 3], w: true } })).toEqual([
      { path: 'a.w', parent: null, child: true }, { path: 'a.y', parent: [1, 2], child: [1, 3] }, { path: 'a.z', parent: 1, child: null },
    ]);
  });
});
