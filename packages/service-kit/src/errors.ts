/**
 * The closed catalogue of client-facing error codes. Domain code raises FairsweepError through the
 * factories below; the GraphQL boundary (format-error.ts) maps them, and masks everything else as
 * INTERNAL_SERVER_ERROR. The catalogue is documented in docs/errors.md.
 */
export const ERROR_CODES = {
  UNAUTHENTICATED: 'The request carries no valid identity.',
  FORBIDDEN: 'The caller may not do this in this tenant.',
  NOT_FOUND: 'The object does not exist or is not visible to the caller.',
  INVALID_SPEC: 'The experiment spec is invalid; `extensions.issues` lists each problem with its path.',
  INVALID_INPUT: 'An argument is invalid; the message names it and what is allowed.',
  QUOTA_EXCEEDED: 'The request can never fit the tenant quota or pool; `extensions` names the resource.',
  STORAGE_QUOTA_EXCEEDED: 'Storing this would take the tenant over its storage quota; `extensions` has usedBytes, requestedBytes and allowedBytes.',
  CONFLICT: 'The object is in a state that does not allow this operation.',
  INTERNAL_SERVER_ERROR: 'An unexpected error; details are logged on the server, never returned.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class FairsweepError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'FairsweepError';
  }
}

export const errors = {
  unauthenticated: (message = 'authentication required') => new FairsweepError('UNAUTHENTICATED', message),
  forbidden: (action: string, tenant: string) =>
    new FairsweepError('FORBIDDEN', `not allowed to ${action} in tenant "${tenant}"`, { tenant, action }),
  /** An action only platform admins may take (not scoped to one tenant), e.g. changing a cohort's policy. */
  platformAdminOnly: (action: string, details: Record<string, unknown> = {}) =>
    new FairsweepError('FORBIDDEN', `not allowed to ${action}: platform admins only`, { action, ...details }),
  notFound: (kind: string, id: string) => new FairsweepError('NOT_FOUND', `${kind} "${id}" not found`, { kind, id }),
  invalidInput: (field: string, message: string) =>
    new FairsweepError('INVALID_INPUT', `${field}: ${message}`, { field }),
  invalidSpec: (message: string, issues: { path: string; message: string }[]) =>
    new FairsweepError('INVALID_SPEC', message, { issues }),
  quotaExceeded: (message: string, details: Record<string, unknown>) => new FairsweepError('QUOTA_EXCEEDED', message, details),
  storageQuotaExceeded: (d: { tenant: string; usedBytes: number; requestedBytes: number; allowedBytes: number; quotaVersion: number | null }) =>
    new FairsweepError(
      'STORAGE_QUOTA_EXCEEDED',
      `tenant "${d.tenant}" storage quota exceeded: ${d.usedBytes} bytes used + ${d.requestedBytes} requested > ${d.allowedBytes} allowed` +
        (d.quotaVersion === null ? '' : ` (quota version ${d.quotaVersion})`),
      d,
    ),
  conflict: (message: string, details: Record<string, unknown> = {}) => new FairsweepError('CONFLICT', message, details),
};
