import { existsSync, mkdirSync, readFileSync, rmdirSync, statfsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Resources } from '@fairsweep/sdk';

/** statfs magic of a cgroup v2 file system. */
const CGROUP2_SUPER_MAGIC = 0x63677270;
const CPU_PERIOD_US = 100_000;
const NEEDED = ['cpu', 'memory'] as const;

/** Whether trials can get cgroup v2 limits here, and if not, why (checked once per executor). */
export type CgroupSupport = { ok: true; parent: string } | { ok: false; why: string };

const errorText = (error: unknown) => {
  const e = error as NodeJS.ErrnoException;
  const words: Record<string, string> = { EROFS: 'read-only file system', EACCES: 'permission denied', EPERM: 'not permitted', EBUSY: 'busy', ENOENT: 'no such file', EINVAL: 'invalid' };
  return e.code ? `${e.code}${words[e.code] ? ` (${words[e.code]})` : ''}` : e.message;
};

/**
 * Checks that `parent` (a cgroup directory delegated to this executor, created if missing) lies on
 * cgroup v2 and can give its children the cpu and memory controllers; enables them in it.
 */
export function checkCgroupSupport(parent: string, mount = '/sys/fs/cgroup'): CgroupSupport {
  let probe = parent;
  while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
  let type: number;
  try {
    type = statfsSync(probe).type;
  } catch (error) {
    return { ok: false, why: `cannot inspect ${probe}: ${errorText(error)}` };
  }
  if (type !== CGROUP2_SUPER_MAGIC) {
    const where = probe === mount || parent.startsWith(`${mount}/`) ? mount : probe;
    return { ok: false, why: `${where} is not a cgroup v2 file system (statfs type 0x${type.toString(16)}; a cgroup v1 or hybrid host)` };
  }
  try {
    mkdirSync(parent, { recursive: true });
  } catch (error) {
    return { ok: false, why: `cannot create the trials' cgroup ${parent}: ${errorText(error)}` };
  }
  const available = readWords(join(parent, 'cgroup.controllers'));
  const missing = NEEDED.filter((c) => !available.includes(c));
  if (missing.length > 0) {
    // Try to get them from the level above (works where that level was delegated to us too).
    try {
      writeFileSync(join(dirname(parent), 'cgroup.subtree_control'), missing.map((c) => `+${c}`).join(' '));
    } catch (error) {
      return {
        ok: false,
        why: `the ${missing.join(' and ')} controller${missing.length > 1 ? 's are' : ' is'} not available in ${parent} (cgroup.controllers: "${available.join(' ')}") and enabling ${missing.length > 1 ? 'them' : 'it'} in ${join(dirname(parent), 'cgroup.subtree_control')} failed: ${errorText(error)}`,
      };
    }
  }
  try {
    writeFileSync(join(parent, 'cgroup.subtree_control'), NEEDED.map((c) => `+${c}`).join(' '));
  } catch (error) {
    return { ok: false, why: `cannot enable cpu and memory for the trials in ${join(parent, 'cgroup.subtree_control')}: ${errorText(error)} (the directory must hold no processes itself)` };
  }
  return { ok: true, parent };
}

function readWords(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
}

/** The limit files for an attempt's resources: cpu.max from cpus, memory.max from memoryMb. */
export function limitFiles(resources: Resources): Record<string, string> {
  const files: Record<string, string> = {};
  if (resources.cpus > 0) files['cpu.max'] = `${Math.max(1000, Math.round(resources.cpus * CPU_PERIOD_US))} ${CPU_PERIOD_US}`;
  if (resources.memoryMb > 0) files['memory.max'] = String(Math.round(resources.memoryMb * 1024 * 1024));
  return files;
}

/**
 * Creates the attempt's own cgroup under a supported parent and writes its limits (and
 * memory.swap.max 0 where the kernel has swap accounting). Returns its path and what was applied,
 * or why nothing was.
 */
export function createAttemptCgroup(support: CgroupSupport, attemptId: string, resources: Resources): { path: string | null; note: string } {
  if (!support.ok) return { path: null, note: `cgroup v2 limits not applied: ${support.why}; cpus and memoryMb are not enforced` };
  const path = join(support.parent, `attempt-${attemptId}`);
  try {
    mkdirSync(path, { recursive: true });
    const files = limitFiles(resources);
    if (existsSync(join(path, 'memory.swap.max')) && files['memory.max']) files['memory.swap.max'] = '0';
    for (const [file, value] of Object.entries(files)) writeFileSync(join(path, file), value);
    const applied = Object.entries(files).map(([f, v]) => `${f}=${v}`).join(', ');
    return { path, note: `cgroup v2 limits applied in ${path}: ${applied}` };
  } catch (error) {
    removeAttemptCgroup(path);
    return { path: null, note: `cgroup v2 limits not applied: writing ${path} failed: ${errorText(error)}; cpus and memoryMb are not enforced` };
  }
}

/** Kills whatever is left in an attempt's cgroup and removes it (best effort). */
export function removeAttemptCgroup(path: string | null): void {
  if (!path) return;
  try {
    if (existsSync(join(path, 'cgroup.kill'))) writeFileSync(join(path, 'cgroup.kill'), '1');
  } catch {
    // an old kernel without cgroup.kill: the process group was killed already
  }
  for (let i = 0; i < 3; i++) {
    try {
      rmdirSync(path);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    }
  }
}

/**
 * argv that joins the cgroup before exec'ing the trial (so nothing it forks escapes the limits):
 * `sh -c 'echo $$ > <cgroup>/cgroup.procs && exec "$@"'`.
 */
export function inCgroup(path: string, command: string[]): string[] {
  return ['/bin/sh', '-c', 'echo $$ > "$0/cgroup.procs" || exit 125; exec "$@"', path, ...command];
}
