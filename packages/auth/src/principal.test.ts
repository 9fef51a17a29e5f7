import { Principal } from './principal.js';
import { claimsFromPayload } from './claims.js';

describe('Principal', () => {
  it('grants actions by role rank within a tenant only', () => {
    const p = new Principal(claimsFromPayload({ sub: 'u', memberships: [{ tenant: 'a', role: 'member' }, { tenant: 'b', role: 'viewer' }] }));
    expect(p.can('a', 'submit')).toBe(true);
    expect(p.can('a', 'administer')).toBe(false);
    expect(p.can('b', 'read')).toBe(true);
    expect(p.can('b', 'submit')).toBe(false);
    expect(p.can('c', 'read')).toBe(false);
    expect(p.visibleTenants).toEqual(['a', 'b']);
  });

  it('lets platform admins see every tenant', () => {
    const p = new Principal(claimsFromPayload({ sub: 'root', roles: ['platform-admin'] }));
    expect(p.visibleTenants).toBe('all');
    expect(p.can('anything', 'administer')).toBe(true);
  });

  it('rejects malformed claims with the offending field', () => {
    expect(() => claimsFromPayload({ sub: 'u', memberships: [{ tenant: 'a', role: 'owner' }] })).toThrow('memberships[0].role "owner"');
    expect(() => claimsFromPayload({ memberships: [] })).toThrow('"sub"');
  });
});
