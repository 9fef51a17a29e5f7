import { createLocalExecutor } from './local.executor.js';

export { createLocalExecutor, LOCAL_EXECUTOR_VERSION, type LocalExecutorConfig } from './local.executor.js';
export default createLocalExecutor;
