import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { platformConfigFromEnv, startPlatform, type RunningPlatform } from '@fairsweep/platform';
import { createTestDatabase, type TestDatabase } from '@fairsweep/service-kit/testing';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const CLI = join(REPO_ROOT, 'cli', 'bin', 'fairsweep.js');

const SLURM_FIXTURE = join(REPO_ROOT, 'scripts', 'slurm-fixture.sh');

/** The SLURM_CONF of the project's Slurm fixture when it is up (scripts/slurm-fixture.sh up), else null. */
export function slurmFixtureConf(): string | null {
  try {
    if (!/^slurmctld: running/m.test(execFileSync('bash', [SLURM_FIXTURE, 'status'], { encoding: 'utf8' }))) return null;
    return /SLURM_CONF=(\S+)/.exec(execFileSync('bash', [SLURM_FIXTURE, 'env'], { encoding: 'utf8' }))?.[1] ?? null;
  } catch {
    return null;
  }
}

export interface TestPlatform {
  platform: RunningPlatform;
  db: TestDatabase;
  dataDir: string;
  stop(): Promise<void>;
}

/** The whole platform in-process on a throwaway database, on ephemeral ports. */
export async function startTestPlatform(pool = { cpus: 4, memoryMb: 8192 }, minRuntimeBeforePreemptSec = 60): Promise<TestPlatform> {
  const db = await createTestDatabase('fs_e2e');
  const dataDir = mkdtempSync(join(tmpdir(), 'fairsweep-e2e-'));
  const base = platformConfigFromEnv({ FAIRSWEEP_DATA_DIR: dataDir });
  const platform = await startPlatform({
    ...base,
    databaseUrl: db.url,
    port: 0,
    pool: { ...base.pool, cpus: pool.cpus, memoryMb: pool.memoryMb, gpus: 0, gpuIds: [] },
    projectDir: REPO_ROOT,
    fairShare: { ...base.fairShare, minRuntimeBeforePreemptSec, borrowBackoffSec: minRuntimeBeforePreemptSec === 0 ? 1 : base.fairShare.borrowBackoffSec },
  });
  return {
    platform,
    db,
    dataDir,
    stop: async () => {
      await platform.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// Scenario tests read GraphQL responses dynamically (res.data.experiment.trials…): `any` by default.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface GqlResult<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function gql<T = any>(url: string, token: string | null, query: string, variables: Record<string, unknown> = {}): Promise<GqlResult<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as object) };
}

export function wsClient(url: string, token: string): Client {
  return createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` } });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `fairsweep` CLI as a child process. */
export function runCli(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fairsweep ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}
