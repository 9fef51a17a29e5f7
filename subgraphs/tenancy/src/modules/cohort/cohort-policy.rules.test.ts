import { FairsweepError } from '@fairsweep/service-kit';
import { validateCohortName, validateCohortPolicy } from './cohort-policy.rules.js';

/** The error `fn` throws (failing when it throws none), to compare its message exactly. */
function thrown(fn: () => unknown): FairsweepError {
  try {
    fn();
  } catch (e) {
    return e as FairsweepError;
  }
  throw new Error('expected an error, none was thrown');
}

describe('cohort policy rules', () => {
  it.each([
    ['an omitted headroom', {}, null],
    ['a null headroom', { lendingHeadroom: null }, null],
    ['an empty headroom', { lendingHeadroom: {} }, null],
    ['an all-null headroom', { lendingHeadroom: { cpus: null, gpus: null, memoryMb: null } }, null],
    ['an all-zero headroom', { lendingHeadroom: { cpus: 0, gpus: 0 } }, null],
    ['fractional CPUs', { lendingHeadroom: { cpus: 2.5 } }, { cpus: 2.5 }],
    ['every resource, nulls left out', { lendingHeadroom: { cpus: 3, gpus: 1, memoryMb: null } }, { cpus: 3, gpus: 1 }],
    ['a zero next to a non-zero amount', { lendingHeadroom: { cpus: 0, memoryMb: 4096 } }, { cpus: 0, memoryMb: 4096 }],
  ])('accepts %s', (_title, input, lendingHeadroom) => {
    expect(validateCohortPolicy(input)).toEqual({ lendingHeadroom });
  });

  it.each([
    ['negative CPUs', { cpus: -1 }, 'policy.lendingHeadroom.cpus: must be a number >= 0 (or null for no headroom), got -1'],
    ['infinite CPUs', { cpus: Infinity }, 'policy.lendingHeadroom.cpus: must be a number >= 0 (or null for no headroom), got Infinity'],
    ['NaN CPUs', { cpus: NaN }, 'policy.lendingHeadroom.cpus: must be a number >= 0 (or null for no headroom), got NaN'],
    ['fractional GPUs', { gpus: 0.5 }, 'policy.lendingHeadroom.gpus: must be an integer >= 0 (or null for no headroom), got 0.5'],
    ['negative GPUs', { cpus: 1, gpus: -2 }, 'policy.lendingHeadroom.gpus: must be an integer >= 0 (or null for no headroom), got -2'],
    ['fractional memory', { memoryMb: 1.5 }, 'policy.lendingHeadroom.memoryMb: must be an integer >= 0 (or null for no headroom), got 1.5'],
  ])('refuses %s, naming the field, the value and what is allowed', (_title, lendingHeadroom, message) => {
    expect(thrown(() => validateCohortPolicy({ lendingHeadroom })).message).toBe(message);
  });

  it.each([['lab'], ['gpu-lab-2']])('accepts the cohort name %s', (name) => {
    expect(validateCohortName(name)).toBe(name);
  });

  it.each([
    ['upper case', 'Lab', 'cohort: "Lab" is not a valid slug: use 2-40 lower-case letters, digits or dashes, starting with a letter'],
    ['one letter', 'l', 'cohort: "l" is not a valid slug: use 2-40 lower-case letters, digits or dashes, starting with a letter'],
    ['a leading digit', '1lab', 'cohort: "1lab" is not a valid slug: use 2-40 lower-case letters, digits or dashes, starting with a letter'],
    ['an empty name', '', 'cohort: "" is not a valid slug: use 2-40 lower-case letters, digits or dashes, starting with a letter'],
  ])('refuses a cohort name with %s, as quotas do', (_title, name, message) => {
    expect(thrown(() => validateCohortName(name)).message).toBe(message);
  });

  it('refuses with INVALID_INPUT naming the field', () => {
    const e = thrown(() => validateCohortPolicy({ lendingHeadroom: { gpus: 0.5 } }));
    expect(e).toBeInstanceOf(FairsweepError);
    expect({ code: e.code, details: e.details }).toEqual({ code: 'INVALID_INPUT', details: { field: 'policy.lendingHeadroom.gpus' } });
  });
});
