// Spec format fairsweep/v1
export type {
  ExperimentSpec,
  ObjectiveDirection,
  ParameterSpec,
  ParamValue,
  ParamValues,
  Resources,
  SearchSpace,
} from './spec/spec.types.js';
export { SPEC_API_VERSION, PRIORITY_CLASSES, type PriorityClass } from './spec/spec.types.js';
export { SpecError, formatSpecIssues, type SpecIssue } from './spec/spec.error.js';
export { parseSpec, parseJson, parseYaml, type ParseSpecOptions } from './spec/spec.parse.js';
export { validateSpec } from './spec/spec.validate.js';
export { normalizeSpec, type NormalizeOptions } from './spec/spec.normalize.js';
export { specHash } from './spec/spec.hash.js';
export {
  SPEC_JSON_SCHEMA,
  ENV_NAME_PATTERN,
  GPU_TYPE_PATTERN,
  GPU_TYPE_RULE,
  MAX_GPU_TYPES,
  METRIC_NAME_PATTERN,
  PARAM_NAME_PATTERN,
  PLUGIN_NAME_PATTERN,
  PROJECT_SLUG_PATTERN,
  TEMPLATE_NAME_PATTERN,
  TEMPLATE_REF_PATTERN,
} from './spec/spec.schema.js';
export { checkParamValues } from './spec/param-values.js';
export type { ParamCondition } from './spec/spec.types.js';
export { activeParameters, buildConfiguration, describeCondition, hasConditions, isActive, parameterOrder } from './spec/spec.conditions.js';
export { COMMAND_PLACEHOLDERS, renderCommand, type TrialIdentity } from './spec/spec.command.js';
export { deadlineAt, parseDeadline, type Deadline } from './spec/spec.budget.js';
export { mergeSpecTemplate, parseTemplateRef, templateIssues, type TemplateRef } from './spec/spec.template.js';
export { canonicalJson } from './json/canonical-json.js';

// Seeds and randomness
export { deriveTrialSeed, isUint32 } from './random/trial-seed.js';
export { createRng, type Rng } from './random/rng.js';
export { sampleParameter } from './random/sample.js';

// Plugins
export {
  STRATEGY_API_VERSION,
  type Observation,
  type SearchStrategy,
  type StrategyFactory,
  type Suggestion,
  type SuggestContext,
} from './strategy/strategy.types.js';
export { checkStrategyConformance, CONFORMANCE_SPACE, type ConformanceOptions } from './strategy/strategy.conformance.js';
export {
  canReattach,
  EXECUTOR_API_VERSION,
  type DeviceInfo,
  type Executor,
  type ExecutorEvent,
  type TrialLaunch,
  type TrialOutcome,
} from './executor/executor.types.js';
export { consoleExecutorLog, ExecutorEventHub, submitGate, type ExecutorLog } from './executor/executor.events.js';
export { executorOptionChecks, type ExecutorOptionChecks } from './executor/executor.options.js';
export {
  attemptDir, baseEnvironment, launchProblems, PARAMS_FILE_NAME, prepareAttemptDir, prepareAttemptDirSync, type LaunchCheckOptions,
} from './executor/executor.workdir.js';
export { assertPlugin, PluginShapeError, type PluginKind } from './plugin/plugin.assert.js';

// Trials: environment, line protocol, reporting helpers
export {
  STOP_FILE_NAME, TRIAL_ENV, trialEnvironment, trialParamsDocument, type TrialParamsDocument, type TrialStopDocument, type TrialStopReason,
} from './trial/trial.environment.js';
export { formatReportLine, parseReportLine, REPORT_PREFIX, type ParsedReport } from './report/report.protocol.js';
export { onStop, report, shouldStop, stopReason, trialParams, trialSeed } from './report/report.node.js';
export { describeExecutorConformance, EventLog, lifecycleProblems, uniqueAttemptLaunch, type ExecutorConformanceOptions } from './testing/executor-kit.js';

// Ask-and-tell: drive any strategy from a script, with the platform's suggestions
export { createStudy, createStudyFromSpec, type AskedTrial, type Study, type StudyOptions, type StudyTrial, type TrialResult } from './ask-tell/study.ask-tell.js';

// Pruners (early stopping)
export {
  PRUNER_API_VERSION,
  type IntermediateValue,
  type Pruner,
  type PruneContext,
  type PruneDecision,
  type PrunerFactory,
  type TrialCurve,
} from './pruner/pruner.types.js';
export { assertPruner } from './pruner/pruner.assert.js';
export { bestUpTo, percentile, valueAtOrAfter } from './pruner/pruner.curves.js';
export { checkPrunerConformance } from './pruner/pruner.conformance.js';
export { parsePrunerIntOptions } from './pruner/pruner.options.js';
