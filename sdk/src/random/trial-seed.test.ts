import { deriveTrialSeed } from './trial-seed.js';

describe('deriveTrialSeed', () => {
  // Pinned values, computed independently with:
  //   echo -n "fairsweep/v1/trial-seed:42:7" | sha256sum   → first 8 hex digits, read as an integer
  it.each([
    [0, 0, 4173782798],
    [0, 1, 834906518],
    [42, 0, 1461273102],
    [42, 7, 3401297708],
    [4294967295, 1000000, 1020841105],
  ])('deriveTrialSeed(%d, %d) = %d', (seed, index, expected) => {
    expect(deriveTrialSeed(seed, index)).toBe(expected);
  });

  it('gives different seeds for neighbouring indices and experiments', () => {
    const seeds = new Set<number>();
    for (let e = 0; e < 20; e++) for (let i = 0; i < 50; i++) seeds.add(deriveTrialSeed(e, i));
    expect(seeds.size).toBe(1000);
  });

  it.each([
    [-1, 0],
    [2 ** 32, 0],
    [1.5, 0],
    [1, -1],
    [1, 0.5],
    [1, Number.NaN],
  ])('refuses experimentSeed %p, trialIndex %p', (seed, index) => {
    expect(() => deriveTrialSeed(seed, index)).toThrow(RangeError);
  });
});
