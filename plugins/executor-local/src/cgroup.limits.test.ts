import { existsSync, readFileSync, rmdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { checkCgroupSupport, limitFiles } from './cgroup.limits.js';
import { harness, launchOf } from './testing-internal/harness.js';

const CGROUP2 = 0x63677270;
const isCgroup2 = (path: string) => existsSync(path) && statfsSync(path).type === CGROUP2;
const hostHasCgroup2Root = isCgroup2('/sys/fs/cgroup');
const parent = `/sys/fs/cgroup/fairsweep-test-${process.pid}`;
const support = checkCgroupSupport(parent);
const removeDir = (dir: string) => {
  try {
    rmdirSync(dir);
  } catch {
    // not created, or not empty
  }
};
afterAll(() => removeDir(parent));

describe('cgroup v2 limits', () => {
  it('maps resources to cpu.max (quota per 100 ms period) and memory.max (bytes)', () => {
    expect(limitFiles({ cpus: 2, gpus: 0, memoryMb: 512 })).toEqual({ 'cpu.max': '200000 100000', 'memory.max': String(512 * 1024 * 1024) });
    expect(limitFiles({ cpus: 0.25, gpus: 1, memoryMb: 0 })).toEqual({ 'cpu.max': '25000 100000' });
  });

  (hostHasCgroup2Root ? it.skip : it)('on a host without cgroup v2 at /sys/fs/cgroup (like this one), says so', () => {
    expect(support).toEqual({ ok: false, why: expect.stringMatching(/^\/sys\/fs\/cgroup is not a cgroup v2 file system \(statfs type 0x[0-9a-f]+; a cgroup v1 or hybrid host\)$/) });
  });

  // A hybrid host's cgroup2 mount usually lacks the cpu and memory controllers: a real check of the reason given.
  (isCgroup2('/sys/fs/cgroup/unified') ? it : it.skip)('on a cgroup2 mount without the cpu and memory controllers, names them and where they are missing', () => {
    const result = checkCgroupSupport(`/sys/fs/cgroup/unified/fairsweep-test-${process.pid}`);
    try {
      const controllers = readFileSync('/sys/fs/cgroup/unified/cgroup.controllers', 'utf8').trim();
      if (!/\bcpu\b/.test(controllers) || !/\bmemory\b/.test(controllers)) {
        expect(result).toEqual({ ok: false, why: expect.stringMatching(/^the cpu and memory controllers are not available in \/sys\/fs\/cgroup\/unified\/fairsweep-test-\d+ \(cgroup.controllers: ".*"\) and enabling them in \/sys\/fs\/cgroup\/unified\/cgroup.subtree_control failed: /) });
      }
    } finally {
      removeDir(`/sys/fs/cgroup/unified/fairsweep-test-${process.pid}`);
    }
  });

  // Where the host delegates cgroup v2 with cpu and memory (e.g. a systemd service with Delegate=yes, or root on a v2 host).
  (support.ok ? it : it.skip)('puts each trial in its own cgroup with its limits, and removes it afterwards', async () => {
    const h = harness({ cgroupParent: parent });
    const launch = launchOf({ command: ['/bin/sh', '-c', 'cat /proc/self/cgroup; cat "/sys/fs/cgroup$(cut -d: -f3 /proc/self/cgroup)/cpu.max"'], resources: { cpus: 0.5, gpus: 0, memoryMb: 128 } });
    try {
      await h.executor.submit(launch);
      expect(await h.exited(launch.attemptId)).toMatchObject({ outcome: 'succeeded' });
      const out = h.lines(launch.attemptId, 'stdout');
      expect(out[0]).toBe(`0::${parent.slice('/sys/fs/cgroup'.length)}/attempt-${launch.attemptId}`);
      expect(out[1]).toBe('50000 100000');
      expect(h.of(launch.attemptId).find((e) => e.type === 'started')).toMatchObject({ notes: [expect.stringMatching(/^cgroup v2 limits applied in .*: cpu.max=50000 100000, memory.max=134217728/)] });
      expect(existsSync(join(parent, `attempt-${launch.attemptId}`))).toBe(false);
    } finally {
      await h.executor.close();
    }
  });
});
