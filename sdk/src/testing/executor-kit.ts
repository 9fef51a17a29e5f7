// The executor conformance kit: run it in an executor's own jest suite.
export {
  describeExecutorConformance,
  EventLog,
  lifecycleProblems,
  uniqueAttemptLaunch,
  type ExecutorConformanceOptions,
  type Exited,
} from '../executor/executor.conformance.js';
