import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trialParamsDocument } from '../trial/trial.environment.js';
import type { TrialLaunch } from './executor.types.js';
import { attemptDir, baseEnvironment, launchProblems, prepareAttemptDir, prepareAttemptDirSync } from './executor.workdir.js';

const launch = (over: Partial<TrialLaunch> = {}): TrialLaunch => ({
  attemptId: 'att-1', trialId: 'trial-1', experimentId: 'exp-1', tenant: 'acme', trialIndex: 3, attempt: 2,
  command: ['python', 'train.py'], env: {}, params: { lr: 0.1 }, seed: 9, resources: { cpus: 1, gpus: 0, memoryMb: 64 }, maxRuntimeSeconds: null,
  ...over,
});

describe('attempt working directories', () => {
  it('accepts a usable launch and lays it out under the work root', () => {
    expect(launchProblems(launch())).toEqual([]);
    expect(attemptDir('/w', launch())).toBe('/w/acme/exp-1/trial-1/attempt-2');
  });

  it('names every problem: ids that cannot be path segments, the attempt number, the command', () => {
    expect(launchProblems(launch({ tenant: '..', trialId: 'a/b', attempt: 1.5, command: [] }))).toEqual([
      'tenant ".." cannot name a directory: use letters, digits, ".", "_" and "-", starting with a letter or digit',
      'trialId "a/b" cannot name a directory: use letters, digits, ".", "_" and "-", starting with a letter or digit',
      'attempt must be an integer >= 0, got 1.5',
      'command must be a non-empty list of strings',
    ]);
    expect(launchProblems(launch({ command: ['', 'x'] }))).toEqual(['command[0] (the program) is empty']);
    expect(launchProblems(launch({ experimentId: 'x'.repeat(129) }))).toHaveLength(1);
  });

  it('checks the ids an executor names, saying what they name', () => {
    const bad = launch({ attemptId: 'a b' });
    expect(launchProblems(bad)).toEqual([]);
    expect(launchProblems(bad, { segments: ['attemptId'], names: 'a directory or job' })).toEqual([
      'attemptId "a b" cannot name a directory or job: use letters, digits, ".", "_" and "-", starting with a letter or digit',
    ]);
  });

  it('creates the directory with params.json, asynchronously and synchronously alike', async () => {
    const root = mkdtempSync(join(tmpdir(), 'fs-sdk-workdir-'));
    const [a, b] = [join(root, 'a', 'attempt-1'), join(root, 'b', 'attempt-1')];
    const files = [await prepareAttemptDir(a, launch()), prepareAttemptDirSync(b, launch())];
    expect(files).toEqual([join(a, 'params.json'), join(b, 'params.json')]);
    for (const file of files) {
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(trialParamsDocument(launch()));
      expect(readFileSync(file, 'utf8').endsWith('}\n')).toBe(true);
    }
    expect(statSync(a).mode & 0o777).toBe(0o750);
  });

  it('passes on only PATH, HOME, LANG and TMPDIR', () => {
    expect(baseEnvironment({ PATH: '/bin', HOME: '/root', SECRET: 'x', LANG: 'C', AWS_KEY: 'k' })).toEqual({ PATH: '/bin', HOME: '/root', LANG: 'C' });
  });
});
