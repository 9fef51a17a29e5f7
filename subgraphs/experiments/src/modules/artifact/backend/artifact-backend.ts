import type { Readable } from 'node:stream';

/**
 * Where artifact bytes live. Blobs are content-addressed: a blob is named by its namespace (the
 * tenant) and the SHA-256 of its bytes, written once and never changed. Records (who, what, why,
 * lineage) live in PostgreSQL; a backend only stores bytes.
 *
 * Implementations: `FsArtifactBackend` (default). An S3-compatible backend maps the same calls onto
 * keys `<prefix>/<namespace>/sha256/<aa>/<digest>` — `stage` uploads to
 * `<prefix>/.staging/<uuid>` with `x-amz-checksum-sha256` (the service verifies the digest),
 * `commit` copies to the final key with `If-None-Match: *` (a conditional put: never overwrites,
 * 412 means the blob exists, which is success) and deletes the staging object; `get`/`stat`/
 * `exists`/`delete` are GetObject/HeadObject/DeleteObject. See docs/artifacts.md.
 */
export interface BlobRef {
  /** The tenant slug: blobs are de-duplicated inside a namespace, never across. */
  namespace: string;
  sha256: string;
}

export interface PutOptions {
  /** When given, the bytes must hash to this digest or the write is refused (BlobDigestMismatch). */
  expectedSha256?: string;
  /** Refuse (BlobTooLarge) as soon as more bytes than this arrive. */
  maxBytes?: number;
}

/** Bytes written and verified but not yet visible under their final name. */
export interface StagedBlob {
  readonly ref: BlobRef;
  readonly size: number;
  /** Makes the blob visible under its digest; `created: false` when it was already there (idempotent). */
  commit(): Promise<{ created: boolean }>;
  /** Drops the staged bytes (after a refusal). Safe to call more than once. */
  discard(): Promise<void>;
}

export interface ArtifactBackend {
  readonly name: string;
  /** Streams `source` into staging while hashing it; verifies digest and size limit on the way. */
  stage(namespace: string, source: Readable | Uint8Array, options?: PutOptions): Promise<StagedBlob>;
  /** stage + commit. */
  put(namespace: string, source: Readable | Uint8Array, options?: PutOptions): Promise<{ ref: BlobRef; size: number; created: boolean }>;
  /** The blob's bytes; with `verify`, the stream errors (BlobDigestMismatch) at its end if they do not hash to the digest. */
  get(ref: BlobRef, options?: { verify?: boolean }): Promise<Readable>;
  stat(ref: BlobRef): Promise<{ size: number } | null>;
  exists(ref: BlobRef): Promise<boolean>;
  /** Removes the blob; false when it was not there. */
  delete(ref: BlobRef): Promise<boolean>;
  /** A local file holding the blob (for hard-linking into the dataset cache); null when not local. */
  localPath(ref: BlobRef): string | null;
}

export class BlobDigestMismatch extends Error {
  constructor(readonly expected: string, readonly actual: string) {
    super(`content digest mismatch: expected sha256 ${expected}, got ${actual}`);
    this.name = 'BlobDigestMismatch';
  }
}

export class BlobTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`content is larger than the ${maxBytes} bytes allowed`);
    this.name = 'BlobTooLarge';
  }
}

export class BlobNotFound extends Error {
  constructor(readonly ref: BlobRef) {
    super(`blob ${ref.namespace}/sha256:${ref.sha256} is not in the store`);
    this.name = 'BlobNotFound';
  }
}
