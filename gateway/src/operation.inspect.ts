import { type DocumentNode, type FragmentDefinitionNode, getOperationAST, Kind, type SelectionSetNode } from 'graphql';

/**
 * True when the operation selects anything besides introspection (`__schema`, `__type`,
 * `__typename`) at its root, i.e. when executing it would reach tenant data in a subgraph.
 * Unknown or ambiguous operations count as touching data.
 */
export function touchesData(document: DocumentNode, operationName?: string | null): boolean {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) return true;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  }
  return selectsData(operation.selectionSet, fragments, new Set());
}

function selectsData(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, visited: Set<string>): boolean {
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (!sel.name.value.startsWith('__')) return true;
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      if (selectsData(sel.selectionSet, fragments, visited)) return true;
    } else {
      const name = sel.name.value;
      if (visited.has(name)) continue;
      visited.add(name);
      const fragment = fragments.get(name);
      if (!fragment || selectsData(fragment.selectionSet, fragments, visited)) return true;
    }
  }
  return false;
}
