import { join } from 'node:path';
import { schemaFileCommand } from '@fairsweep/service-kit';
import { buildExperimentsSchema } from './schema.js';

void schemaFileCommand(process.argv[2], join(__dirname, '..', 'schema.graphql'), buildExperimentsSchema).then((code) => process.exit(code));
