import { M0001Initial } from './m0001-initial.js';
import { M0002Lineage } from './m0002-lineage.js';
import { M0003Artifacts } from './m0003-artifacts.js';
import { M0004Datasets } from './m0004-datasets.js';
import { M0005Templates } from './m0005-templates.js';
import { M0006Pruning } from './m0006-pruning.js';
import { M0008AttemptHardware } from './m0008-attempt-hardware.js';
import { M0009AttemptProvenance } from './m0009-attempt-provenance.js';
import { M0010RegisteredPool } from './m0010-registered-pool.js';

/** Committed migrations, in order; applied at start. Never edit one that has shipped. */
export const migrations = [
  { name: 'm0001-initial', class: M0001Initial },
  { name: 'm0002-lineage', class: M0002Lineage },
  { name: 'm0003-artifacts', class: M0003Artifacts },
  { name: 'm0004-datasets', class: M0004Datasets },
  { name: 'm0005-templates', class: M0005Templates },
  { name: 'm0006-pruning', class: M0006Pruning },
  { name: 'm0008-attempt-hardware', class: M0008AttemptHardware },
  { name: 'm0009-attempt-provenance', class: M0009AttemptProvenance },
  { name: 'm0010-registered-pool', class: M0010RegisteredPool },
];
