/** Roles a caller can hold. `platform-admin` is global; the others are held per tenant. */
export const TENANT_ROLES = ['tenant-admin', 'member', 'viewer'] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];
export const PLATFORM_ROLES = ['platform-admin'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];
export type Role = TenantRole | PlatformRole;
export const ALL_ROLES: readonly Role[] = [...PLATFORM_ROLES, ...TENANT_ROLES];

/** What a role may do inside a tenant. Ordered: each role can do everything the next one can. */
export type TenantAction = 'read' | 'submit' | 'administer';

const RANK: Record<TenantRole, number> = { viewer: 0, member: 1, 'tenant-admin': 2 };
const NEEDED: Record<TenantAction, number> = { read: 0, submit: 1, administer: 2 };

export function roleAllows(role: TenantRole, action: TenantAction): boolean {
  return RANK[role] >= NEEDED[action];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ALL_ROLES as readonly string[]).includes(value);
}
