import { createSlurmExecutor } from './slurm.executor.js';

export { createSlurmExecutor, SLURM_EXECUTOR_VERSION, type SlurmExecutor, type SlurmExecutorConfig } from './slurm.executor.js';
export { describePendingReason, isRetryableReason, jobEnd, parseExitCode, RETRYABLE_MARK, RETRYABLE_STATES, TERMINAL_STATES } from './slurm.states.js';
export { jobName } from './slurm.job-script.js';
export default createSlurmExecutor;
