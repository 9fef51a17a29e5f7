import { createMedianPruner } from './median.pruner.js';

export { createMedianPruner, MEDIAN_PRUNER_VERSION } from './median.pruner.js';
export default createMedianPruner;
