import { createGridStrategy } from './grid.strategy.js';

export { createGridStrategy, gridSize, GRID_STRATEGY_VERSION } from './grid.strategy.js';
export { parseGridOptions, type GridOptions } from './grid.options.js';
export { MAX_GRID_POINTS } from './grid.permutation.js';
export default createGridStrategy;
