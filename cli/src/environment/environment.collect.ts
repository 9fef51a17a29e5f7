import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CliError } from '../client.js';

/** What `submit` and `rerun` send as `environment` (validated again by the server). */
export interface EnvironmentSnapshot {
  git: { commit: string; dirty: boolean; diffSha256: string | null } | null;
  lockfiles: Record<string, string>;
  imageDigest: string | null;
  runtimes: Record<string, string>;
  env: Record<string, string>;
  collectedAt: string;
}

export interface CollectOptions {
  /** The working tree (default: the current directory). */
  cwd?: string;
  imageDigest?: string;
  /** Environment variable names to record, e.g. from `--env-allow CUDA_VERSION,NCCL_DEBUG`. */
  envAllow?: string[];
  env?: NodeJS.ProcessEnv;
}

/** Lockfiles recorded by SHA-256: npm, yarn, pnpm, pip, poetry, uv, conda. */
export const LOCKFILE_PATTERN = /^(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|requirements[\w.-]*\.txt|poetry\.lock|uv\.lock|Pipfile\.lock|environment\.ya?ml|conda-lock\.ya?ml)$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function collectEnvironment(opts: CollectOptions = {}): EnvironmentSnapshot {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  if (opts.imageDigest !== undefined && !DIGEST.test(opts.imageDigest)) {
    throw new CliError(`--image-digest "${opts.imageDigest}" is not a content digest (expected e.g. sha256:<64 hex>)`);
  }
  const names = opts.envAllow ?? [];
  const bad = names.filter((n) => !ENV_NAME.test(n));
  if (bad.length > 0) throw new CliError(`--env-allow: not environment variable names: ${bad.join(', ')}`);
  const top = git(cwd, ['rev-parse', '--show-toplevel'])?.toString('utf8').trim();
  return {
    git: top ? gitState(cwd) : null,
    lockfiles: lockfileHashes(top || cwd, cwd),
    imageDigest: opts.imageDigest ?? null,
    runtimes: runtimes(),
    env: Object.fromEntries(names.filter((n) => env[n] !== undefined).sort().map((n) => [n, env[n]!])),
    collectedAt: new Date().toISOString(),
  };
}

function gitState(cwd: string): EnvironmentSnapshot['git'] {
  const commit = git(cwd, ['rev-parse', '--verify', '-q', 'HEAD'])?.toString('utf8').trim();
  if (!commit) return null; // a repository without commits
  const status = git(cwd, ['status', '--porcelain']) ?? Buffer.alloc(0);
  const diff = git(cwd, ['diff', 'HEAD', '--no-ext-diff', '--binary']) ?? Buffer.alloc(0);
  return { commit, dirty: status.length > 0, diffSha256: diff.length > 0 ? sha256(diff) : null };
}

/** Lockfiles in the repository root and in the working directory (if it is below the root). */
function lockfileHashes(root: string, cwd: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const dir of [...new Set([root, cwd])]) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names.filter((n) => LOCKFILE_PATTERN.test(n)).sort()) {
      const path = join(dir, name);
      if (!statSync(path).isFile()) continue;
      out[relative(root, path).split('\\').join('/')] = sha256(readFileSync(path));
    }
  }
  return out;
}

function runtimes(): Record<string, string> {
  const out: Record<string, string> = { node: process.version };
  try {
    const v = execFileSync('python3', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 5000 });
    if (v.trim()) out.python = v.trim().slice(0, 200);
  } catch {
    // no python3 on PATH: nothing to record
  }
  return out;
}

function git(cwd: string, args: string[]): Buffer | null {
  try {
    return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 30, timeout: 30_000 });
  } catch {
    return null;
  }
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
