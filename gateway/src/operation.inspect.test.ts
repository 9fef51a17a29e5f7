import { parse } from 'graphql';
import { touchesData } from './operation.inspect.js';

describe('touchesData', () => {
  it.each([
    ['{ __typename }', false],
    ['{ __schema { types { name } } }', false],
    ['query IntrospectionQuery { __schema { queryType { name } } __type(name: "Tenant") { name } }', false],
    ['{ ...F } fragment F on Query { __typename }', false],
    ['{ ... on Query { __schema { queryType { name } } } }', false],
    ['{ tenants { slug } }', true],
    ['{ __typename tenants { slug } }', true],
    ['{ ...F } fragment F on Query { tenants { slug } }', true],
    ['{ ... on Query { whoami { sub } } }', true],
    ['mutation { createTenant(slug: "x") { slug } }', true],
    ['subscription { tenantChanged(slug: "x") { seq } }', true],
    ['{ ...Missing }', true],
  ])('%s -> %s', (query, expected) => {
    expect(touchesData(parse(query))).toBe(expected);
  });

  it('looks at the selected operation only, and counts an ambiguous one as data', () => {
    const doc = parse('query A { __typename } query B { tenants { slug } }');
    expect(touchesData(doc, 'A')).toBe(false);
    expect(touchesData(doc, 'B')).toBe(true);
    expect(touchesData(doc)).toBe(true);
  });
});
