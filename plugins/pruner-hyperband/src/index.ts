import { createHyperbandPruner } from './hyperband.pruner.js';

export { createHyperbandPruner, HYPERBAND_PRUNER_VERSION, hyperbandBrackets } from './hyperband.pruner.js';
export default createHyperbandPruner;
