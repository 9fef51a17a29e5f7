// The layout and checks are the SDK's (executor.workdir), as for @fairsweep/executor-local, so a spec runs unchanged on both.

/** Files of an attempt directory that the Slurm executor reads and writes. */
export const FILES = {
  stdout: 'stdout.log',
  stderr: 'stderr.log',
  script: 'job.sh',
  /** Written by the job script before it runs the trial: host, pid and GPUs. */
  started: 'slurm-started.env',
  /** The job id, once sbatch has given it. */
  jobId: 'slurm-job-id',
  /** Written before sbatch runs: if it exists without slurm-job-id, the job is looked up by name. */
  submitting: 'slurm-submitting',
} as const;
