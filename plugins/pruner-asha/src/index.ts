import { createAshaPruner } from './asha.pruner.js';

export { createAshaPruner, ASHA_PRUNER_VERSION, successiveHalving, type SuccessiveHalvingOptions } from './asha.pruner.js';
export default createAshaPruner;
