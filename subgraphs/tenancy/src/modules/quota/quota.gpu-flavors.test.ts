import { gpuFlavorLimits, validateQuota } from './quota.rules.js';

const base = { cpus: 4, gpus: 4, memoryMb: 1024, concurrentTrials: 4 };

describe('quota gpuFlavors', () => {
  it('keeps valid caps in order, and treats absent, null and [] as none', () => {
    expect(validateQuota({ ...base, gpuFlavors: [{ flavor: 'h100', gpus: 2 }, { flavor: 'a100-80gb', gpus: 0 }] }).gpuFlavors)
      .toEqual([{ flavor: 'h100', gpus: 2 }, { flavor: 'a100-80gb', gpus: 0 }]);
    expect(validateQuota(base).gpuFlavors).toBeNull();
    expect(validateQuota({ ...base, gpuFlavors: null }).gpuFlavors).toBeNull();
    expect(validateQuota({ ...base, gpuFlavors: [] }).gpuFlavors).toBeNull();
  });

  it.each([
    ['an upper-case flavor', [{ flavor: 'H100', gpus: 1 }], 'quota.gpuFlavors[0].flavor: "H100" is not a GPU flavor: use 1-64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit (the deviceType a pool declares, e.g. h100)'],
    ['an empty flavor', [{ flavor: 'h100', gpus: 1 }, { flavor: '', gpus: 1 }], 'quota.gpuFlavors[1].flavor: "" is not a GPU flavor: use 1-64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit (the deviceType a pool declares, e.g. h100)'],
    ['a flavor listed twice', [{ flavor: 'h100', gpus: 1 }, { flavor: 'a100', gpus: 1 }, { flavor: 'h100', gpus: 2 }], 'quota.gpuFlavors[2].flavor: "h100" is listed twice (also at quota.gpuFlavors[0]); list each flavor once'],
    ['negative gpus', [{ flavor: 'h100', gpus: -1 }], 'quota.gpuFlavors[0].gpus: must be an integer >= 0 (GPUs of flavor h100), got -1'],
    ['fractional gpus', [{ flavor: 'l4', gpus: 0.5 }], 'quota.gpuFlavors[0].gpus: must be an integer >= 0 (GPUs of flavor l4), got 0.5'],
  ])('refuses %s, naming the entry', (_title, gpuFlavors, message) => {
    expect(() => validateQuota({ ...base, gpuFlavors })).toThrow(message);
  });

  it('keeps per-flavor borrowing and lending limits of a cohort member; a borrowing limit of 0 or null is none', () => {
    const lab = { ...base, cohort: 'lab' };
    expect(validateQuota({ ...lab, gpuFlavors: [{ flavor: 'h100', gpus: 2, borrowingLimit: 2, lendingLimit: 1 }, { flavor: 'l4', gpus: 1, borrowingLimit: 0, lendingLimit: null }] }).gpuFlavors)
      .toEqual([{ flavor: 'h100', gpus: 2, borrowingLimit: 2, lendingLimit: 1 }, { flavor: 'l4', gpus: 1 }]);
  });

  it.each([
    ['a borrowing limit without a cohort', {}, [{ flavor: 'h100', gpus: 2, borrowingLimit: 1 }],
      'quota.gpuFlavors[0].borrowingLimit: applies only to a cohort member (cohort is null: the tenant neither borrows nor lends); set cohort or omit borrowingLimit'],
    ['a lending limit without a cohort', {}, [{ flavor: 'h100', gpus: 2, lendingLimit: 1 }],
      'quota.gpuFlavors[0].lendingLimit: applies only to a cohort member (cohort is null: the tenant neither borrows nor lends); set cohort or omit lendingLimit'],
    ['a negative borrowing limit', { cohort: 'lab' }, [{ flavor: 'a100', gpus: 1 }, { flavor: 'h100', gpus: 2, borrowingLimit: -1 }],
      'quota.gpuFlavors[1].borrowingLimit: must be an integer >= 0 (GPUs of flavor h100) or null, got -1'],
    ['a fractional lending limit', { cohort: 'lab' }, [{ flavor: 'h100', gpus: 2, lendingLimit: 0.5 }],
      'quota.gpuFlavors[0].lendingLimit: must be an integer >= 0 (GPUs of flavor h100) or null, got 0.5'],
    ['a lending limit above the nominal', { cohort: 'lab' }, [{ flavor: 'h100', gpus: 2, lendingLimit: 3 }],
      "quota.gpuFlavors[0].lendingLimit: 3 exceeds the flavor's nominal gpus (2): a member lends only its unused nominal, at most 2"],
  ])('refuses %s, naming the entry', (_title, extra, gpuFlavors, message) => {
    expect(() => validateQuota({ ...base, ...extra, gpuFlavors })).toThrow(message);
  });

  it('names the field it is given', () => {
    expect(() => gpuFlavorLimits([{ flavor: 'x y', gpus: 1 }], 'input.quota.gpuFlavors')).toThrow(/^input\.quota\.gpuFlavors\[0\]\.flavor: /);
  });
});
