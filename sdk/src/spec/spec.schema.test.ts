import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { validDocument } from '../testing-internal/spec-fixtures.js';
import { normalizeSpec } from './spec.normalize.js';
import { SPEC_JSON_SCHEMA } from './spec.schema.js';

const schemaFile = join(__dirname, '..', '..', 'schema', 'experiment-spec.v1.json');

describe('SPEC_JSON_SCHEMA', () => {
  it('matches schema/experiment-spec.v1.json (run `npm run build && npm run schema:write` in sdk/ after changing it)', () => {
    expect(readFileSync(schemaFile, 'utf8')).toBe(`${JSON.stringify(SPEC_JSON_SCHEMA, null, 2)}\n`);
  });

  it('is a valid draft-07 schema that compiles in strict mode', () => {
    // strictRequired is off: the `then` branch requires fields that the top level defines.
    const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true });
    expect(ajv.validateSchema(SPEC_JSON_SCHEMA)).toBe(true);
    expect(() => ajv.compile(SPEC_JSON_SCHEMA)).not.toThrow();
  });

  it('accepts a normalised spec, so stored specs are valid files', () => {
    const validate = new Ajv({ allowUnionTypes: true }).compile(SPEC_JSON_SCHEMA);
    expect(validate(validDocument())).toBe(true);
    expect(validate(JSON.parse(JSON.stringify(normalizeSpec(validDocument()))))).toBe(true);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(SPEC_JSON_SCHEMA)).toBe(true);
    expect(Object.isFrozen((SPEC_JSON_SCHEMA.properties as Record<string, object>).budget)).toBe(true);
  });
});
