import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectEnvironment } from './environment.collect.js';

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

describe('collectEnvironment', () => {
  let dir: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir }).toString('utf8').trim();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fs-env-'));
    git('init', '-q');
    git('config', 'user.email', 't@example.com');
    git('config', 'user.name', 't');
    writeFileSync(join(dir, 'train.py'), 'print(1)\n');
    writeFileSync(join(dir, 'package-lock.json'), '{"lockfileVersion":3}\n');
    writeFileSync(join(dir, 'requirements-dev.txt'), 'numpy==2.0.0\n');
    writeFileSync(join(dir, 'README.md'), 'not a lockfile\n');
    git('add', '.');
    git('commit', '-q', '-m', 'init');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('records a clean tree: commit, not dirty, lockfile hashes, runtimes', () => {
    const e = collectEnvironment({ cwd: dir });
    expect(e.git).toEqual({ commit: git('rev-parse', 'HEAD'), dirty: false, diffSha256: null });
    expect(e.lockfiles).toEqual({ 'package-lock.json': sha('{"lockfileVersion":3}\n'), 'requirements-dev.txt': sha('numpy==2.0.0\n') });
    expect(e.runtimes.node).toBe(process.version);
    expect(e.imageDigest).toBeNull();
    expect(e.env).toEqual({});
    expect(Date.parse(e.collectedAt)).not.toBeNaN();
  });

  it('marks a changed tree dirty with the SHA-256 of git diff HEAD', () => {
    writeFileSync(join(dir, 'train.py'), 'print(2)\n');
    const e = collectEnvironment({ cwd: dir });
    expect(e.git).toEqual({ commit: git('rev-parse', 'HEAD'), dirty: true, diffSha256: sha(execFileSync('git', ['diff', 'HEAD', '--no-ext-diff', '--binary'], { cwd: dir })) });
    writeFileSync(join(dir, 'train.py'), 'print(3)\n');
    expect(collectEnvironment({ cwd: dir }).git!.diffSha256).not.toBe(e.git!.diffSha256);
  });

  it('counts untracked files as dirty, and finds lockfiles from a subdirectory too', () => {
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'uv.lock'), 'x');
    const e = collectEnvironment({ cwd: join(dir, 'sub') });
    expect(e.git).toMatchObject({ dirty: true, diffSha256: null });
    expect(Object.keys(e.lockfiles)).toEqual(['package-lock.json', 'requirements-dev.txt', 'sub/uv.lock']);
  });

  it('records only allowlisted variables that are set, and the image digest', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const e = collectEnvironment({ cwd: dir, imageDigest: digest, envAllow: ['CUDA_VERSION', 'UNSET_ONE'], env: { CUDA_VERSION: '12.4', SECRET: 'x' } });
    expect(e.env).toEqual({ CUDA_VERSION: '12.4' });
    expect(e.imageDigest).toBe(digest);
  });

  it('refuses a malformed digest or variable name', () => {
    expect(() => collectEnvironment({ cwd: dir, imageDigest: 'latest' })).toThrow(/--image-digest "latest" is not a content digest/);
    expect(() => collectEnvironment({ cwd: dir, envAllow: ['OK', 'NOT-OK'] })).toThrow(/--env-allow: not environment variable names: NOT-OK/);
  });

  it('records no git state outside a repository', () => {
    const plain = mkdtempSync(join(tmpdir(), 'fs-plain-'));
    try {
      writeFileSync(join(plain, 'poetry.lock'), 'p');
      expect(collectEnvironment({ cwd: plain })).toMatchObject({ git: null, lockfiles: { 'poetry.lock': sha('p') } });
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});
