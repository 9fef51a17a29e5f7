/** Source files of a scaffolded plugin package, by kind. Plain strings: what `plugin new` writes. */

export type PluginKind = 'strategy' | 'pruner' | 'executor';

export interface TemplateInput {
  kind: PluginKind;
  /** npm package name, e.g. `@acme/strategy-best-neighbour`. */
  packageName: string;
  /** The plugin's own name (what a spec writes), e.g. `best-neighbour`. */
  pluginName: string;
  sdkVersion: string;
}

/** Toolchain the generated package's tests and typecheck run with (the workspace's pins). */
export const TOOLCHAIN = {
  typescript: '5.9.3',
  jest: '30.5.2',
  '@swc/jest': '0.2.39',
  '@swc/core': '1.16.22',
  '@types/node': '20.19.43',
  '@types/jest': '30.0.0',
};

const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/^./, (c) => c.toUpperCase());

export function templateFiles(t: TemplateInput): Record<string, string> {
  const factory = `create${camel(t.pluginName)}${t.kind === 'strategy' ? 'Strategy' : t.kind === 'pruner' ? 'Pruner' : 'Executor'}`;
  const src = { strategy: strategySource, pruner: prunerSource, executor: executorSource }[t.kind](t, factory);
  const test = { strategy: strategyTest, pruner: prunerTest, executor: executorTest }[t.kind](t, factory);
  return {
    'package.json': `${JSON.stringify({
      name: t.packageName,
      version: '0.1.0',
      description: `Fairsweep ${t.kind} plugin "${t.pluginName}"`,
      main: 'dist/index.js',
      types: 'dist/index.d.ts',
      files: ['dist'],
      scripts: { build: 'tsc -p tsconfig.build.json', typecheck: 'tsc -p tsconfig.json --noEmit', test: 'jest' },
      peerDependencies: { '@fairsweep/sdk': t.sdkVersion },
      devDependencies: { '@fairsweep/sdk': t.sdkVersion, ...TOOLCHAIN },
    }, null, 2)}\n`,
    'tsconfig.json': `${JSON.stringify({
      compilerOptions: {
        target: 'ES2022', lib: ['ES2023'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true,
        esModuleInterop: true, skipLibCheck: true, declaration: true, sourceMap: true, rootDir: 'src', outDir: 'dist', types: ['node', 'jest'],
      },
      include: ['src'],
    }, null, 2)}\n`,
    'tsconfig.build.json': `${JSON.stringify({ extends: './tsconfig.json', exclude: ['src/**/*.test.ts'] }, null, 2)}\n`,
    'jest.config.js': `// Tests run TypeScript through swc; sources import each other with NodeNext ".js" suffixes.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  transform: { '^.+\\\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
  moduleNameMapper: { '^(\\\\.{1,2}/.*)\\\\.js$': '$1' },
  testTimeout: 60000,
};
`,
    '.gitignore': 'node_modules/\ndist/\n',
    'src/index.ts': `import { ${factory} } from './${t.kind}.js';

export { ${factory} };
/** The platform loads the default export: a factory (options) => ${t.kind}. */
export default ${factory};
`,
    [`src/${t.kind}.ts`]: src,
    [`src/${t.kind}.test.ts`]: test,
    'README.md': readme(t, factory),
  };
}

function strategySource(t: TemplateInput, factory: string): string {
  return `import { buildConfiguration, createRng, deriveTrialSeed, sampleParameter, STRATEGY_API_VERSION, type SearchStrategy } from '@fairsweep/sdk';

export const VERSION = '0.1.0';

/**
 * Seeded random search that, every \`exploitEvery\` trials, re-samples one parameter of the best
 * trial so far. A pure function of its context: randomness from the trial seed, parameters in
 * sorted name order, no state between calls. In a conditional space only the parameters active
 * given their parents are suggested (\`buildConfiguration\`).
 */
export function ${factory}(options: Record<string, unknown> = {}): SearchStrategy {
  const exploitEvery = parseOptions(options);
  return {
    name: '${t.pluginName}',
    kind: 'strategy',
    apiVersion: STRATEGY_API_VERSION,
    version: VERSION,
    suggest(ctx) {
      const rng = createRng(deriveTrialSeed(ctx.experimentSeed, ctx.trialIndex), '${t.pluginName}');
      const names = Object.keys(ctx.space).sort();
      // one draw per parameter, active or not, so the stream position never depends on the values
      const fresh = Object.fromEntries(names.map((n) => [n, sampleParameter(ctx.space[n]!, rng)]));
      const sign = ctx.objective.direction === 'minimize' ? 1 : -1;
      let best: { params: Record<string, number | string | boolean>; value: number } | undefined;
      for (const o of ctx.observations) {
        if (o.state === 'succeeded' && o.value !== null && (!best || sign * o.value < sign * best.value)) best = { params: o.params, value: o.value };
      }
      if (!best || exploitEvery === 0 || ctx.trialIndex % exploitEvery !== 0) {
        return { params: buildConfiguration(ctx.space, (n) => fresh[n]!), rngPosition: rng.position };
      }
      const changed = names[rng.nextUint32() % names.length]!;
      const base = best.params;
      const params = buildConfiguration(ctx.space, (n) => (n !== changed && Object.hasOwn(base, n) ? base[n]! : fresh[n]!));
      return { params, rngPosition: rng.position };
    },
  };
}

function parseOptions(options: Record<string, unknown>): number {
  const unknown = Object.keys(options).filter((k) => k !== 'exploitEvery');
  if (unknown.length > 0) throw new TypeError(\`strategy "${t.pluginName}": unknown option "\${unknown[0]}"; allowed: exploitEvery\`);
  const every = options.exploitEvery ?? 2;
  if (typeof every !== 'number' || !Number.isInteger(every) || every < 0) {
    throw new TypeError(\`strategy "${t.pluginName}": option "exploitEvery" must be an integer >= 0, got \${JSON.stringify(every)}\`);
  }
  return every;
}
`;
}

function strategyTest(t: TemplateInput, factory: string): string {
  return `import { describeStrategyConformance } from '@fairsweep/sdk/testing';
import { ${factory} } from './strategy.js';

// The suite every strategy must pass: shape, purity, bounds, running trials, serialisable state.
describeStrategyConformance('${t.pluginName}', ${factory}, { options: [{}, { exploitEvery: 3 }] });

describe('${t.pluginName} options', () => {
  it('refuses unknown options and bad values, naming them', () => {
    expect(() => ${factory}({ every: 2 })).toThrow('strategy "${t.pluginName}": unknown option "every"; allowed: exploitEvery');
    expect(() => ${factory}({ exploitEvery: -1 })).toThrow('option "exploitEvery" must be an integer >= 0, got -1');
  });
});
`;
}

function prunerSource(t: TemplateInput, factory: string): string {
  return `import { bestUpTo, PRUNER_API_VERSION, type Pruner } from '@fairsweep/sdk';

export const VERSION = '0.1.0';

/**
 * Threshold pruning: from step \`minStep\` on, stops a trial whose best value so far is worse
 * than \`threshold\` (above it when minimising, below it when maximising). A pure function of its
 * context, so decisions replay.
 */
export function ${factory}(options: Record<string, unknown> = {}): Pruner {
  const { threshold, minStep } = parseOptions(options);
  return {
    name: '${t.pluginName}',
    kind: 'pruner',
    apiVersion: PRUNER_API_VERSION,
    version: VERSION,
    shouldPrune(ctx) {
      if (ctx.step < minStep) return { prune: false, reason: \`step \${ctx.step} is before step \${minStep}\` };
      const own = ctx.history.find((c) => c.trialIndex === ctx.trialIndex);
      const best = own ? bestUpTo(own, ctx.step, ctx.direction) : ctx.value;
      if (best === null) return { prune: true, reason: \`no value by step \${ctx.step}\` };
      const worse = ctx.direction === 'minimize' ? best > threshold : best < threshold;
      return worse
        ? { prune: true, reason: \`best value \${best} by step \${ctx.step} is worse than the threshold \${threshold}\` }
        : { prune: false, reason: \`best value \${best} by step \${ctx.step} is within the threshold \${threshold}\` };
    },
  };
}

function parseOptions(options: Record<string, unknown>): { threshold: number; minStep: number } {
  const problems: string[] = [];
  for (const key of Object.keys(options)) if (key !== 'threshold' && key !== 'minStep') problems.push(\`unknown option "\${key}"; allowed: threshold, minStep\`);
  const threshold = options.threshold ?? 1;
  const minStep = options.minStep ?? 1;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) problems.push(\`option "threshold" must be a finite number, got \${JSON.stringify(threshold)}\`);
  if (typeof minStep !== 'number' || !Number.isInteger(minStep) || minStep < 0) problems.push(\`option "minStep" must be an integer >= 0, got \${JSON.stringify(minStep)}\`);
  if (problems.length > 0) throw new TypeError(\`pruner "${t.pluginName}": \${problems.join('; ')}\`);
  return { threshold: threshold as number, minStep: minStep as number };
}
`;
}

function prunerTest(t: TemplateInput, factory: string): string {
  return `import { checkPrunerConformance } from '@fairsweep/sdk/testing';
import { ${factory} } from './pruner.js';

describe('${t.pluginName} pruner', () => {
  it('passes the pruner conformance kit', () => {
    expect(checkPrunerConformance(() => ${factory}({}))).toEqual([]);
    expect(checkPrunerConformance(() => ${factory}({ threshold: 2.5, minStep: 3 }))).toEqual([]);
  });

  it('prunes above the threshold when minimising, from minStep on', () => {
    const pruner = ${factory}({ threshold: 1, minStep: 2 });
    const history = [{ trialIndex: 0, state: 'running' as const, values: [{ step: 1, value: 3 }, { step: 2, value: 2 }] }];
    expect(pruner.shouldPrune({ trialIndex: 0, step: 1, value: 3, direction: 'minimize', history }).prune).toBe(false);
    expect(pruner.shouldPrune({ trialIndex: 0, step: 2, value: 2, direction: 'minimize', history })).toEqual({
      prune: true, reason: 'best value 2 by step 2 is worse than the threshold 1',
    });
  });

  it('refuses bad options, naming every problem', () => {
    expect(() => ${factory}({ limit: 1, minStep: -1 })).toThrow(
      'pruner "${t.pluginName}": unknown option "limit"; allowed: threshold, minStep; option "minStep" must be an integer >= 0, got -1',
    );
  });
});
`;
}

function executorSource(t: TemplateInput, factory: string): string {
  return `import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import {
  EXECUTOR_API_VERSION, parseReportLine, trialEnvironment, trialParamsDocument,
  type Executor, type ExecutorEvent, type TrialLaunch, type TrialOutcome,
} from '@fairsweep/sdk';

export const VERSION = '0.1.0';

export interface Options {
  /** Where each attempt gets its working directory (params.json, stop.json). */
  workRoot: string;
  /** SIGTERM → SIGKILL grace period when cancel() gives none (default 5000 ms). */
  graceMs?: number;
}

interface Attempt {
  child?: ChildProcess;
  stop?: { reason: string };
  done: boolean;
  killTimer?: NodeJS.Timeout;
  exited: Promise<void>;
}

/**
 * Runs each attempt as a child process (its own process group) on this host: the trial
 * environment and params.json from the SDK, FAIRSWEEP_METRIC lines from stdout as metric events,
 * cancel as SIGTERM then SIGKILL after the grace period.
 */
export function ${factory}(options: Options): Executor {
  if (!options || typeof options.workRoot !== 'string' || options.workRoot === '') throw new TypeError('executor "${t.pluginName}": option "workRoot" must be a non-empty string');
  const attempts = new Map<string, Attempt>();
  const listeners = new Set<(e: ExecutorEvent) => void>();
  const emit = (e: ExecutorEvent) => listeners.forEach((l) => l(e));
  let closed = false;

  const run = (launch: TrialLaunch, a: Attempt, finished: () => void) => {
    const end = (outcome: TrialOutcome, reason: string, exitCode: number | null = null, signal: string | null = null) => {
      if (a.done) return;
      a.done = true;
      clearTimeout(a.killTimer);
      emit({ type: 'exited', attemptId: launch.attemptId, at: new Date(), outcome, exitCode, signal, reason });
      finished();
    };
    const dir = join(options.workRoot, launch.attemptId);
    mkdirSync(dir, { recursive: true });
    const paramsFile = join(dir, 'params.json');
    writeFileSync(paramsFile, JSON.stringify(trialParamsDocument(launch)));
    const [program, ...args] = launch.command;
    const child = spawn(program!, args, {
      cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'inherit'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...launch.env, ...trialEnvironment(launch, paramsFile) },
    });
    a.child = child;
    child.once('error', (err) => end('failed', \`could not start: \${err.message}\`));
    child.once('spawn', () => {
      emit({ type: 'started', attemptId: launch.attemptId, at: new Date(), host: hostname(), pid: child.pid, devices: [], workDir: dir });
      if (a.stop) signal(a, 'SIGTERM');
    });
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const parsed = parseReportLine(line);
        if (parsed && !('error' in parsed)) {
          for (const m of parsed.metrics) emit({ type: 'metric', attemptId: launch.attemptId, at: new Date(), name: m.name, value: m.value, step: parsed.step });
        }
      }
    });
    child.once('close', (code, sig) => {
      signal(a, 'SIGKILL'); // whatever is left in the group goes too
      if (a.stop) return end('cancelled', a.stop.reason, code, sig);
      if (code === 0) return end('succeeded', 'exited with code 0', code, sig);
      return end('failed', code !== null ? \`exited with code \${code}\` : \`killed by \${sig}\`, code, sig);
    });
  };

  const cancelAttempt = (id: string, graceMs: number, reason: string): Promise<void> => {
    const a = attempts.get(id);
    if (!a || a.done) return Promise.resolve();
    if (!a.stop) {
      a.stop = { reason };
      signal(a, 'SIGTERM');
      a.killTimer = setTimeout(() => signal(a, 'SIGKILL'), graceMs);
    }
    return a.exited;
  };

  return {
    name: '${t.pluginName}',
    kind: 'executor',
    apiVersion: EXECUTOR_API_VERSION,
    version: VERSION,
    async submit(launch) {
      if (attempts.has(launch.attemptId)) return; // idempotent per attempt
      if (closed) throw new Error(\`executor "${t.pluginName}": closed; cannot submit \${launch.attemptId}\`);
      let finished!: () => void;
      const a: Attempt = { done: false, exited: new Promise<void>((resolve) => (finished = resolve)) };
      attempts.set(launch.attemptId, a);
      run(launch, a, finished);
    },
    cancel(attemptId, opts = {}) {
      return cancelAttempt(attemptId, opts.graceMs ?? options.graceMs ?? 5000, opts.reason ?? 'cancelled');
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async close() {
      closed = true;
      await Promise.all([...attempts.keys()].map((id) => cancelAttempt(id, options.graceMs ?? 5000, 'executor closed')));
    },
  };
}

function signal(a: Attempt, sig: NodeJS.Signals): void {
  if (a.child?.pid === undefined) return;
  try {
    process.kill(-a.child.pid, sig);
  } catch {
    // the group is gone already
  }
}
`;
}

function executorTest(t: TemplateInput, factory: string): string {
  return `import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeExecutorConformance } from '@fairsweep/sdk/testing';
import { ${factory} } from './executor.js';

// The suite every executor must pass: run, metrics, failure, cancel with grace, kill after grace,
// idempotent submit, close. (Re-attaching after a restart is checked only for executors with detach().)
describeExecutorConformance('${t.pluginName}', () => ${factory}({ workRoot: mkdtempSync(join(tmpdir(), '${t.pluginName}-')), graceMs: 2000 }), {
  timeoutMs: 15000,
  stopSlackMs: 2000,
});
`;
}

function readme(t: TemplateInput, factory: string): string {
  const use = {
    strategy: `strategy: { name: ${t.pluginName}, options: { exploitEvery: 2 } }`,
    pruner: `pruner: { name: ${t.pluginName}, options: { threshold: 0.5, minStep: 3 } }`,
    executor: `trial: { executor: ${t.pluginName} }`,
  }[t.kind];
  return `# ${t.packageName}

A Fairsweep ${t.kind} plugin (\`${t.pluginName}\`), generated by \`fairsweep plugin new --kind ${t.kind}\`.
Its default export, \`${factory}\`, is the factory the platform calls with the spec's options.

\`\`\`sh
npm install          # @fairsweep/sdk ${t.sdkVersion} and the test toolchain
npm test             # the SDK conformance kit plus this plugin's own tests
npm run typecheck
npm run build        # dist/
\`\`\`

Use it from a spec once the deployment installs it${t.kind === 'executor' ? '' : ` (list the package in \`FAIRSWEEP_${t.kind.toUpperCase()}_PLUGINS\`)`}:

\`\`\`yaml
${use}
\`\`\`

Rules (docs/plugin-guide.md in the Fairsweep repository): ${t.kind === 'executor'
    ? 'submit is idempotent per attempt, exactly one `exited` event per attempt, always last; cancel is SIGTERM, then SIGKILL after the grace period.'
    : `\`${t.kind === 'strategy' ? 'suggest' : 'shouldPrune'}\` must be a pure function of its context — no clocks, no \`Math.random\`, no state between calls — so that \`fairsweep replay\` re-derives every ${t.kind === 'strategy' ? 'suggestion' : 'decision'}. Bump \`VERSION\` with every change of behaviour: it is recorded with each ${t.kind === 'strategy' ? 'suggestion' : 'decision'}.`}
`;
}
