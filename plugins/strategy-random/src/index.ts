import { createRandomStrategy } from './random.strategy.js';

export { createRandomStrategy, RANDOM_STRATEGY_VERSION, RANDOM_STREAM, SOBOL_STREAM } from './random.strategy.js';
export { parseRandomOptions, RANDOM_SAMPLERS, type RandomOptions, type RandomSampler } from './random.options.js';
export { sobolPoint, SOBOL_MAX_DIMENSIONS } from './sobol.js';
export default createRandomStrategy;
