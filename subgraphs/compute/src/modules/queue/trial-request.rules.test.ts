import type { TrialCreated } from '@fairsweep/service-kit';
import { requestValidationError } from './trial-request.rules.js';

const trial = (resources: Record<string, unknown>): TrialCreated => ({
  trialId: 't', experimentId: 'e', tenant: 'acme', trialIndex: 0, command: ['x'], env: {}, params: {}, seed: 1,
  resources: { cpus: 1, gpus: 1, memoryMb: 128, ...resources } as TrialCreated['resources'], executor: 'local', maxRuntimeSeconds: null,
});

describe('requestValidationError: resources.gpuType', () => {
  it.each([{}, { gpuType: 'h100' }, { gpuType: 'a100-80gb' }, { gpuType: null }])('accepts %p', (r) => {
    expect(requestValidationError(trial(r))).toBeNull();
  });

  it.each([['H100', '"H100"'], ['', '""'], [7, '7']])('refuses gpuType %p, saying what a GPU type is', (gpuType, shown) => {
    expect(requestValidationError(trial({ gpuType }))).toBe(
      `invalid request: resources.gpuType must be a GPU type (1-64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit), got ${shown}`,
    );
  });

  it('accepts a list of GPU types in order of preference', () => {
    expect(requestValidationError(trial({ gpuType: ['h100', 'a100'] }))).toBeNull();
  });

  it.each([
    [[], 'must list 1-8 GPU types, got 0'],
    [['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'], 'must list 1-8 GPU types, got 9'],
    [['h100', 'A100'], '[1] must be a GPU type (1-64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit), got "A100"'],
    [['h100', 'a100', 'h100'], 'lists "h100" twice'],
  ])('refuses the list %p, naming what is wrong', (gpuType, message) => {
    expect(requestValidationError(trial({ gpuType }))).toBe(`invalid request: resources.gpuType ${message}`);
  });
});
