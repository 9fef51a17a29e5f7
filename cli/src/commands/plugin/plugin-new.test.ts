import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { planPlugin, writePlugin } from './plugin-new.js';

const REPO = resolve(__dirname, '..', '..', '..', '..');
const SDK_VERSION = (JSON.parse(readFileSync(join(REPO, 'sdk', 'package.json'), 'utf8')) as { version: string }).version;

describe('fairsweep plugin new: arguments', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'fs-plugin-args-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('derives the plugin name from the package name, and the directory from its last part', () => {
    expect(planPlugin('strategy', '@acme/strategy-best-neighbour', undefined, dir)).toEqual({
      kind: 'strategy', packageName: '@acme/strategy-best-neighbour', pluginName: 'best-neighbour', dir: join(dir, 'strategy-best-neighbour'),
    });
    expect(planPlugin('pruner', 'fairsweep-pruner-patience', 'x/y', dir)).toMatchObject({ pluginName: 'patience', dir: join(dir, 'x/y') });
  });

  it('refuses a bad kind, an invalid name and an existing directory, saying what is allowed', () => {
    expect(() => planPlugin('sampler', 'a', undefined, dir)).toThrow('--kind must be one of strategy, pruner, executor, got "sampler"');
    expect(() => planPlugin('strategy', 'My Strategy', undefined, dir)).toThrow(/invalid plugin package name "My Strategy": use lower-case letters/);
    expect(() => planPlugin('strategy', '@acme/9lives', undefined, dir)).toThrow(/invalid plugin name "9lives" \(from "@acme\/9lives"\): a spec names plugins with a lower-case letter/);
    mkdirSync(join(dir, 'taken'));
    expect(() => planPlugin('pruner', 'taken', undefined, dir)).toThrow(`${join(dir, 'taken')} already exists; refusing to overwrite it`);
  });
});

describe('fairsweep plugin new: generated packages pass their conformance kits and typecheck out of the box', () => {
  let root: string;
  const dirs: Record<string, string> = {};

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'fs-plugin-new-'));
    for (const kind of ['strategy', 'pruner', 'executor']) {
      const plan = planPlugin(kind, `@acme/${kind}-demo`, undefined, root);
      writePlugin(plan, SDK_VERSION);
      dirs[kind] = plan.dir;
      // what `npm install` would give it: the workspace's SDK and toolchain
      mkdirSync(join(plan.dir, 'node_modules', '@fairsweep'), { recursive: true });
      mkdirSync(join(plan.dir, 'node_modules', '@swc'));
      mkdirSync(join(plan.dir, 'node_modules', '@types'));
      symlinkSync(join(REPO, 'sdk'), join(plan.dir, 'node_modules', '@fairsweep', 'sdk'));
      for (const dep of ['jest', 'typescript', '@swc/jest', '@swc/core', '@types/node', '@types/jest']) {
        symlinkSync(join(REPO, 'node_modules', dep), join(plan.dir, 'node_modules', dep));
      }
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes a package depending on the workspace SDK version, with sources, a test and a README', () => {
    const pkg = JSON.parse(readFileSync(join(dirs.pruner!, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: '@acme/pruner-demo', main: 'dist/index.js', peerDependencies: { '@fairsweep/sdk': SDK_VERSION }, scripts: { test: 'jest' } });
    expect(readFileSync(join(dirs.strategy!, 'src', 'index.ts'), 'utf8')).toContain('export default createDemoStrategy;');
    expect(readFileSync(join(dirs.executor!, 'README.md'), 'utf8')).toContain('# @acme/executor-demo');
  });

  it('typechecks each package', () => {
    for (const kind of ['strategy', 'pruner', 'executor']) {
      const tsc = spawnSync(process.execPath, [join(dirs[kind]!, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--noEmit'], { cwd: dirs[kind], encoding: 'utf8' });
      expect(`${kind}: ${tsc.stdout}${tsc.stderr}`).toBe(`${kind}: `);
      expect(tsc.status).toBe(0);
    }
  });

  it('runs the three generated test suites (SDK conformance kits) green in one jest run', () => {
    const jest = spawnSync(process.execPath, [join(REPO, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--projects', dirs.strategy!, dirs.pruner!, dirs.executor!], {
      cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' },
    });
    expect(jest.stderr).toMatch(/Test Suites: 3 passed, 3 total/);
    expect(jest.status).toBe(0);
  });
});
