import { M0001Initial } from './m0001-initial.js';
import { M0002Lineage } from './m0002-lineage.js';
import { M0008AttemptHardware } from './m0008-attempt-hardware.js';

/** Committed migrations, in order; applied at start. Never edit one that has shipped. */
export const migrations = [
  { name: 'm0001-initial', class: M0001Initial },
  { name: 'm0002-lineage', class: M0002Lineage },
  { name: 'm0008-attempt-hardware', class: M0008AttemptHardware },
];
