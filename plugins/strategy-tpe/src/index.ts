import { createTpeStrategy } from './tpe.strategy.js';

export { createTpeStrategy, suggestTpeWithRng, TPE_STRATEGY_VERSION, TPE_STREAM } from './tpe.strategy.js';
export { parseTpeOptions, TPE_DEFAULTS, type TpeOptions } from './tpe.options.js';
export { defaultGamma } from './tpe.observations.js';
export { defaultWeights } from './parzen.estimator.js';
export default createTpeStrategy;
