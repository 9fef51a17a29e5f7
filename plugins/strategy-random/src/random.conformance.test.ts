import { describeStrategyConformance } from '@fairsweep/sdk/testing';
import { createRandomStrategy } from './random.strategy.js';

describeStrategyConformance('random', createRandomStrategy, { options: [{}, { sampler: 'sobol' }] });
