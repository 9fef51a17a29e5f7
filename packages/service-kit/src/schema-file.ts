import { readFileSync, writeFileSync } from 'node:fs';
import { printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';

/** The subgraph's SDL as the gateway composes it; committed as `schema.graphql` and checked in CI. */
export function printSubgraphSdl(schema: GraphQLSchema): string {
  return printSubgraphSchema(schema).trim() + '\n';
}

/**
 * `check`: fails when the committed schema file differs from the code's schema (run
 * `npm run schema:write` to update it after a deliberate contract change). `write`: rewrites it.
 */
export async function schemaFileCommand(mode: string | undefined, file: string, build: () => Promise<GraphQLSchema>): Promise<number> {
  const sdl = printSubgraphSdl(await build());
  if (mode === 'write') {
    writeFileSync(file, sdl);
    console.log(`wrote ${file}`);
    return 0;
  }
  let committed = '';
  try {
    committed = readFileSync(file, 'utf8');
  } catch {
    console.error(`${file} is missing: run npm run schema:write`);
    return 1;
  }
  if (committed !== sdl) {
    console.error(`${file} differs from the schema the code builds: review the change, then run npm run schema:write`);
    return 1;
  }
  console.log(`${file} matches the code`);
  return 0;
}
