// @fairsweep/sdk/testing: conformance kits that plugins run in their own jest suites.
export { describeStrategyConformance, type StrategyKitOptions } from './strategy.kit.js';
export { KIT_CONDITIONAL_SPACE, KIT_SPACE, kitObjective, kitSweep } from './strategy.kit-space.js';
export { checkStrategyConformance, CONFORMANCE_SPACE, type ConformanceOptions } from '../strategy/strategy.conformance.js';
export * from './executor-kit.js';
export { checkPrunerConformance } from '../pruner/pruner.conformance.js';
