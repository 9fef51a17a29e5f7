import { canonicalJson } from '@fairsweep/sdk';

/**
 * The environment snapshot a submitter sends with an experiment (the CLI collects it from the
 * working tree). Validated strictly, stored immutably with the experiment. Pure.
 */
export interface EnvironmentSnapshot {
  git?: { commit: string; dirty: boolean; diffSha256: string | null } | null;
  /** Lockfile path (relative to the working tree) → SHA-256 of its bytes. */
  lockfiles?: Record<string, string>;
  imageDigest?: string | null;
  /** Runtime name (node, python) → version string. */
  runtimes?: Record<string, string>;
  /** Allowlisted environment variables, name → value. */
  env?: Record<string, string>;
  collectedAt?: string;
}

export const ENVIRONMENT_MAX_BYTES = 64 * 1024;
const SHA256 = /^[0-9a-f]{64}$/;
const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYS = ['git', 'lockfiles', 'imageDigest', 'runtimes', 'env', 'collectedAt'];

/** Returns the problems found (empty when valid), each prefixed with its path. */
export function environmentIssues(value: unknown): string[] {
  const issues: string[] = [];
  if (!isObject(value)) return ['environment: expected an object'];
  let size: number;
  try {
    size = Buffer.byteLength(canonicalJson(value), 'utf8');
  } catch (err) {
    return [`environment: ${(err as Error).message}`];
  }
  if (size > ENVIRONMENT_MAX_BYTES) issues.push(`environment: ${size} bytes, at most ${ENVIRONMENT_MAX_BYTES} allowed`);
  for (const key of Object.keys(value)) if (!KEYS.includes(key)) issues.push(`environment.${key}: unknown field; allowed: ${KEYS.join(', ')}`);
  const git = value.git;
  if (git !== undefined && git !== null) {
    if (!isObject(git)) issues.push('environment.git: expected an object or null');
    else {
      for (const key of Object.keys(git)) if (!['commit', 'dirty', 'diffSha256'].includes(key)) issues.push(`environment.git.${key}: unknown field`);
      if (typeof git.commit !== 'string' || !COMMIT.test(git.commit)) issues.push('environment.git.commit: expected a full lowercase hex commit id (40 or 64 characters)');
      if (typeof git.dirty !== 'boolean') issues.push('environment.git.dirty: expected a boolean');
      if (git.diffSha256 !== null && (typeof git.diffSha256 !== 'string' || !SHA256.test(git.diffSha256))) issues.push('environment.git.diffSha256: expected a SHA-256 hex digest or null');
    }
  }
  checkMap(value.lockfiles, 'lockfiles', 100, issues, (k) => k.length > 0 && k.length <= 256, 'a relative path of at most 256 characters', (v) => SHA256.test(v), 'a SHA-256 hex digest');
  if (value.imageDigest !== undefined && value.imageDigest !== null && (typeof value.imageDigest !== 'string' || !DIGEST.test(value.imageDigest))) {
    issues.push('environment.imageDigest: expected a content digest such as sha256:<64 hex>');
  }
  checkMap(value.runtimes, 'runtimes', 20, issues, (k) => /^[a-z0-9][a-z0-9._-]{0,31}$/.test(k), 'a lowercase runtime name', (v) => v.length <= 200, 'a version of at most 200 characters');
  checkMap(value.env, 'env', 100, issues, (k) => ENV_NAME.test(k) && k.length <= 128, 'an environment variable name', (v) => v.length <= 4096, 'a value of at most 4096 characters');
  if (value.collectedAt !== undefined && (typeof value.collectedAt !== 'string' || Number.isNaN(Date.parse(value.collectedAt)))) {
    issues.push('environment.collectedAt: expected an ISO 8601 time');
  }
  return issues;
}

function checkMap(
  value: unknown, name: string, max: number, issues: string[],
  keyOk: (k: string) => boolean, keyWhat: string, valueOk: (v: string) => boolean, valueWhat: string,
): void {
  if (value === undefined) return;
  if (!isObject(value)) {
    issues.push(`environment.${name}: expected an object`);
    return;
  }
  const entries = Object.entries(value);
  if (entries.length > max) issues.push(`environment.${name}: ${entries.length} entries, at most ${max} allowed`);
  for (const [k, v] of entries.slice(0, max)) {
    if (!keyOk(k)) issues.push(`environment.${name}: key ${JSON.stringify(k.slice(0, 64))} is not ${keyWhat}`);
    else if (typeof v !== 'string' || !valueOk(v)) issues.push(`environment.${name}.${k}: expected ${valueWhat}`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
