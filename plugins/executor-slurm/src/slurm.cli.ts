import { execFile } from 'node:child_process';
import { baseEnvironment } from '@fairsweep/sdk';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs Slurm's client commands with SLURM_CONF set and a deadline (a client blocks while the controller is down). */
export interface SlurmCli {
  run(command: string, args: string[], opts?: { env?: Record<string, string>; timeoutMs?: number }): Promise<CliResult>;
}

const DEFAULT_TIMEOUT_MS = 30000;

/** The environment of client calls: only PATH, HOME, LANG, TMPDIR, and SLURM_CONF when given. */
export function clientEnvironment(slurmConf: string | undefined, parent: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env = baseEnvironment(parent);
  const conf = slurmConf ?? parent.SLURM_CONF;
  if (conf) env.SLURM_CONF = conf;
  return env;
}

export function createSlurmCli(slurmConf?: string): SlurmCli {
  const baseEnv = clientEnvironment(slurmConf);
  return {
    run(command, args, opts = {}) {
      return new Promise((resolve) => {
        execFile(
          command,
          args,
          { env: opts.env ?? baseEnv, timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
          (error, stdout, stderr) => {
            if (!error) return resolve({ code: 0, stdout, stderr });
            const failure = error as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
            if (failure.code === 'ENOENT') return resolve({ code: 127, stdout: '', stderr: `${command}: not found on PATH` });
            if (failure.killed) return resolve({ code: 124, stdout, stderr: `${stderr}${command}: no answer within ${opts.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms` });
            resolve({ code: typeof failure.code === 'number' ? failure.code : 1, stdout, stderr: stderr || error.message });
          },
        );
      });
    },
  };
}

/** Slurm's message without the `sbatch: error: ` prefixes, on one line. */
export function slurmMessage(stderr: string): string {
  return stderr
    .split('\n')
    .map((line) => line.replace(/^\w+: (error|fatal): /, '').trim())
    .filter((line) => line !== '')
    .join('; ');
}
