import { signUpstream, verifyUpstream, SIGNATURE_EXTENSION } from './upstream-signature.js';
import type { FairsweepClaims } from './claims.js';

const secret = 'x'.repeat(40);
const claims: FairsweepClaims = { sub: 'alice', roles: [], memberships: [{ tenant: 'a', role: 'member' }] };
const query = 'query ($id: ID!) { experiment(id: $id) { id } }';

function request(env: unknown, variables: Record<string, unknown> = { id: '1' }) {
  return { query, variables, extensions: { [SIGNATURE_EXTENSION]: env } };
}

describe('gateway upstream signature', () => {
  it('accepts a fresh, untampered request and yields the signed principal', () => {
    const env = signUpstream(secret, { query, variables: { id: '1' }, claims });
    const p = verifyUpstream(secret, request(env));
    expect(p.subject).toBe('alice');
    expect(p.visibleTenants).toEqual(['a']);
  });

  it('ignores variable key order', () => {
    const env = signUpstream(secret, { query, variables: { b: 1, a: 2 }, claims });
    expect(() => verifyUpstream(secret, request(env, { a: 2, b: 1 }))).not.toThrow();
  });

  it('refuses unsigned requests', () => {
    expect(() => verifyUpstream(secret, { query, variables: {} })).toThrow('not signed');
  });

  it('refuses a captured signature replayed with other claims', () => {
    const env = signUpstream(secret, { query, variables: { id: '1' }, claims });
    const forged = { ...env, claims: { ...claims, memberships: [{ tenant: 'b', role: 'tenant-admin' }] } };
    expect(() => verifyUpstream(secret, request(forged))).toThrow('does not match');
  });

  it('refuses other variables or query text under the same signature', () => {
    const env = signUpstream(secret, { query, variables: { id: '1' }, claims });
    expect(() => verifyUpstream(secret, request(env, { id: '2' }))).toThrow('does not match');
    expect(() => verifyUpstream(secret, { ...request(env), query: query + ' ' })).toThrow('does not match');
  });

  it('refuses an expired signature', () => {
    const env = signUpstream(secret, { query, variables: { id: '1' }, claims, ts: Date.now() - 60_000 });
    expect(() => verifyUpstream(secret, request(env))).toThrow('expired');
  });

  it('refuses a signature made with another secret', () => {
    const env = signUpstream('y'.repeat(40), { query, variables: { id: '1' }, claims });
    expect(() => verifyUpstream(secret, request(env))).toThrow('does not match');
  });

  it('maps system requests to a principal that sees no tenant', () => {
    const env = signUpstream(secret, { query: '{ _service { sdl } }', claims: null, system: 'composition' });
    const p = verifyUpstream(secret, { query: '{ _service { sdl } }', extensions: { fairsweep: env } });
    expect(p.system).toBe(true);
    expect(p.visibleTenants).toEqual([]);
  });
});
