import { createRandomStrategy } from './random.strategy.js';

export { createRandomStrategy, RANDOM_STRATEGY_VERSION, RANDOM_STREAM } from './random.strategy.js';
export default createRandomStrategy;
