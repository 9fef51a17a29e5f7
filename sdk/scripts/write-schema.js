#!/usr/bin/env node
// Writes schema/experiment-spec.v1.json from SPEC_JSON_SCHEMA (build first); `--check` only compares.
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { SPEC_JSON_SCHEMA } = require('../dist/index.js');

const file = join(__dirname, '..', 'schema', 'experiment-spec.v1.json');
const text = `${JSON.stringify(SPEC_JSON_SCHEMA, null, 2)}\n`;
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // missing: reported below
  }
  if (current !== text) {
    console.error(`${file} is out of date with SPEC_JSON_SCHEMA: run \`npm run schema:write -w @fairsweep/sdk\``);
    process.exit(1);
  }
} else {
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
}
