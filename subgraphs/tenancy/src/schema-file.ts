import { join } from 'node:path';
import { schemaFileCommand } from '@fairsweep/service-kit';
import { buildTenancySchema } from './schema.js';

void schemaFileCommand(process.argv[2], join(__dirname, '..', 'schema.graphql'), buildTenancySchema).then((code) => process.exit(code));
