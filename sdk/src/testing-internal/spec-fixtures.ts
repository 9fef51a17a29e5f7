/** A fresh, valid, minimal-but-complete spec document for tests to modify. */
export function validDocument(): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    apiVersion: 'fairsweep/v1',
    kind: 'Experiment',
    name: 'resnet-sweep',
    seed: 42,
    searchSpace: {
      lr: { type: 'float', low: 1e-5, high: 0.1, log: true },
      layers: { type: 'int', low: 2, high: 8, step: 2 },
      optimizer: { type: 'categorical', choices: ['adam', 'sgd'] },
    },
    objective: { metric: 'val/loss', direction: 'minimize' },
    budget: { maxTrials: 20 },
    trial: { command: ['python', 'train.py'] },
  };
}
