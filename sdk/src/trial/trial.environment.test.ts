import type { TrialLaunch } from '../executor/executor.types.js';
import { trialEnvironment, trialParamsDocument } from './trial.environment.js';

const launch: TrialLaunch = {
  attemptId: 'a-1', trialId: 'trial-7', experimentId: 'exp-3', tenant: 'acme', trialIndex: 7, attempt: 2,
  command: ['python', 'train.py'], env: { EPOCHS: '3' },
  params: { lr: 0.001, optimizer: 'adam', use_bn: false, layers: 4 },
  seed: 123456, resources: { cpus: 1, gpus: 0, memoryMb: 512 }, maxRuntimeSeconds: null,
};

describe('trial environment', () => {
  it('sets identity, seed, params and one variable per parameter', () => {
    expect(trialEnvironment(launch, '/work/params.json')).toEqual({
      FAIRSWEEP_TRIAL_ID: 'trial-7',
      FAIRSWEEP_EXPERIMENT_ID: 'exp-3',
      FAIRSWEEP_TRIAL_INDEX: '7',
      FAIRSWEEP_ATTEMPT: '2',
      FAIRSWEEP_SEED: '123456',
      FAIRSWEEP_PARAMS: '{"layers":4,"lr":0.001,"optimizer":"adam","use_bn":false}',
      FAIRSWEEP_PARAMS_FILE: '/work/params.json',
      FAIRSWEEP_STOP_FILE: '/work/stop.json',
      FAIRSWEEP_PARAM_LR: '0.001',
      FAIRSWEEP_PARAM_OPTIMIZER: 'adam',
      FAIRSWEEP_PARAM_USE_BN: 'false',
      FAIRSWEEP_PARAM_LAYERS: '4',
    });
  });

  it('builds the params.json document', () => {
    const doc = trialParamsDocument(launch);
    expect(doc).toEqual({ trialId: 'trial-7', experimentId: 'exp-3', trialIndex: 7, attempt: 2, seed: 123456, params: launch.params });
    expect(doc.params).not.toBe(launch.params);
  });
});
