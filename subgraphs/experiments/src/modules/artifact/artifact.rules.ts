import { errors } from '@fairsweep/service-kit';

/**
 * The artifact store's rules, free of GraphQL and the ORM: what may be stored, how it is named,
 * and the storage-quota arithmetic (a hard limit, with de-duplication inside a tenant).
 */

export const ARTIFACT_KINDS = ['log', 'checkpoint', 'model', 'dataset', 'other'] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

/** Largest artifact accepted inline through GraphQL (base64 in the request body): 2 MiB decoded. */
export const MAX_INLINE_BYTES = 2 * 1024 * 1024;

const SHA256 = /^[0-9a-f]{64}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const TENANT = /^[a-z][a-z0-9-]{1,39}$/;

export function isSha256(value: string): boolean {
  return SHA256.test(value);
}

export function validateSha256(field: string, value: string): string {
  const v = value.toLowerCase();
  if (!SHA256.test(v)) throw errors.invalidInput(field, `must be a SHA-256 digest as 64 hexadecimal characters, got ${JSON.stringify(value.slice(0, 80))}`);
  return v;
}

/** Tenant slugs name blob namespaces and cache directories, so only slugs are accepted. */
export function validateNamespace(tenant: string): string {
  if (!TENANT.test(tenant)) throw errors.invalidInput('tenant', `"${tenant.slice(0, 60)}" is not a tenant slug`);
  return tenant;
}

/** Artifact names: 1-255 printable characters, no control characters, no "/" at either end. */
export function validateArtifactName(name: string, field = 'name'): string {
  const n = name.trim();
  if (n.length === 0 || n.length > 255) throw errors.invalidInput(field, `must be 1-255 characters, got ${n.length}`);
  if (/[\u0000-\u001f\u007f]/.test(n)) throw errors.invalidInput(field, 'must not contain control characters');
  return n;
}

export function validateKind(kind: string): ArtifactKind {
  if (!(ARTIFACT_KINDS as readonly string[]).includes(kind)) throw errors.invalidInput('kind', `"${kind}" is not one of ${ARTIFACT_KINDS.join(', ')}`);
  return kind as ArtifactKind;
}

/** Strict base64 (RFC 4648, with padding); the decoded size must be at most `maxBytes`. */
export function decodeBase64(field: string, text: string, maxBytes = MAX_INLINE_BYTES): Buffer {
  const compact = text.replace(/\s+/g, '');
  const approx = Math.floor((compact.length * 3) / 4);
  if (approx - 2 > maxBytes) throw errors.invalidInput(field, `is about ${approx} bytes decoded; at most ${maxBytes} bytes may be uploaded inline`);
  if (!BASE64.test(compact)) throw errors.invalidInput(field, 'is not valid base64 (A-Z, a-z, 0-9, +, / with = padding)');
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length > maxBytes) throw errors.invalidInput(field, `is ${bytes.length} bytes decoded; at most ${maxBytes} bytes may be uploaded inline`);
  return bytes;
}

export interface StorageState {
  tenant: string;
  usedBytes: number;
  /** null: no storage limit. */
  allowedBytes: number | null;
  quotaVersion: number | null;
}

/**
 * What storing `sizeBytes` costs the tenant. Blobs are de-duplicated inside a tenant, so content
 * the tenant already holds (a live record with the same digest) costs nothing; anything else
 * costs its size and must fit the hard limit, or the request is refused with the numbers.
 */
export function storageCharge(state: StorageState, sizeBytes: number, alreadyHeld: boolean): number {
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0) throw errors.invalidInput('size', `must be an integer >= 0, got ${sizeBytes}`);
  if (alreadyHeld) return 0;
  if (state.allowedBytes !== null && state.usedBytes + sizeBytes > state.allowedBytes) {
    throw errors.storageQuotaExceeded({
      tenant: state.tenant, usedBytes: state.usedBytes, requestedBytes: sizeBytes, allowedBytes: state.allowedBytes, quotaVersion: state.quotaVersion,
    });
  }
  return sizeBytes;
}

/** Bytes freed when a record is tombstoned: its size when it was the tenant's last live copy of that content. */
export function storageRelease(sizeBytes: number, otherLiveCopies: number): number {
  return otherLiveCopies > 0 ? 0 : sizeBytes;
}

/** Dataset versions: 1-64 characters of letters, digits, ".", "_", "-", "+". */
export function validateDatasetVersion(version: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/.test(version)) {
    throw errors.invalidInput('version', `"${version.slice(0, 80)}" is not a dataset version: use 1-64 letters, digits, ".", "_", "+" or "-", starting with a letter or digit`);
  }
  return version;
}

/** Dataset names double as file names in the cache: 1-128 characters of letters, digits, ".", "_", "-". */
export function validateDatasetName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name)) {
    throw errors.invalidInput('name', `"${name.slice(0, 80)}" is not a dataset name: use 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  }
  return name;
}
