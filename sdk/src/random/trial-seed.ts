import { createHash } from 'node:crypto';

const UINT32_MAX = 0xffffffff;

/**
 * The seed of trial `trialIndex`: the first 4 bytes (big-endian) of
 * SHA-256(`fairsweep/v1/trial-seed:${experimentSeed}:${trialIndex}`), numbers in decimal.
 * Depends only on the experiment seed and the index, never on scheduling order. Stable: changing
 * it breaks replay of every recorded experiment.
 */
export function deriveTrialSeed(experimentSeed: number, trialIndex: number): number {
  assertUint32(experimentSeed, 'deriveTrialSeed: experimentSeed');
  if (!Number.isSafeInteger(trialIndex) || trialIndex < 0) {
    throw new RangeError(`deriveTrialSeed: trialIndex must be a non-negative integer, got ${trialIndex}`);
  }
  return createHash('sha256')
    .update(`fairsweep/v1/trial-seed:${experimentSeed}:${trialIndex}`, 'utf8')
    .digest()
    .readUInt32BE(0);
}

export function isUint32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= UINT32_MAX;
}

export function assertUint32(value: unknown, what: string): asserts value is number {
  if (!isUint32(value)) throw new RangeError(`${what} must be an integer in 0..${UINT32_MAX}, got ${String(value)}`);
}
