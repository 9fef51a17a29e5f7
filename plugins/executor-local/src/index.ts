import { createLocalExecutor } from './local.executor.js';

export { createLocalExecutor, DEFAULT_CGROUP_PARENT, LOCAL_EXECUTOR_VERSION, type LocalExecutor, type LocalExecutorConfig } from './local.executor.js';
export { detectGpus, parseNvidiaSmi, NVIDIA_SMI_QUERY, type GpuInventory } from './gpu.inventory.js';
export { checkCgroupSupport, limitFiles, type CgroupSupport } from './cgroup.limits.js';
export { RETRYABLE_MARK } from './attempt.run.js';
export type { GpuDevice } from './attempt.records.js';
export default createLocalExecutor;
