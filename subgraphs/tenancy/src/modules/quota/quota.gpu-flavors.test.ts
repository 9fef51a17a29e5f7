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

  it('names the field it is given', () => {
    expect(() => gpuFlavorLimits([{ flavor: 'x y', gpus: 1 }], 'input.quota.gpuFlavors')).toThrow(/^input\.quota\.gpuFlavors\[0\]\.flavor: /);
  });
});
