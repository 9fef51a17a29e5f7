import { createHash } from 'node:crypto';
import { canonicalJson } from '../json/canonical-json.js';
import type { ExperimentSpec } from './spec.types.js';

/** SHA-256 (hex) of the canonical JSON of a normalised spec: the identity of an experiment's spec. */
export function specHash(spec: ExperimentSpec): string {
  return createHash('sha256').update(canonicalJson(spec), 'utf8').digest('hex');
}
