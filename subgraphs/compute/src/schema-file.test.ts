import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSubgraphSdl } from '@fairsweep/service-kit';
import { buildComputeSchema } from './schema.js';

it('committed schema.graphql matches the code (run `npm run schema:write` after a deliberate change)', async () => {
  expect(printSubgraphSdl(await buildComputeSchema())).toBe(readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8'));
});
