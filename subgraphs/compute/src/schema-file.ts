import { join } from 'node:path';
import { schemaFileCommand } from '@fairsweep/service-kit';
import { buildComputeSchema } from './schema.js';

void schemaFileCommand(process.argv[2], join(__dirname, '..', 'schema.graphql'), buildComputeSchema).then((code) => process.exit(code));
