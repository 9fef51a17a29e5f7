import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import { errors } from '@fairsweep/service-kit';
import { BlobDigestMismatch, BlobTooLarge, type ArtifactBackend } from './backend/artifact-backend.js';
import { storageCharge, storageRelease, type ArtifactKind } from './artifact.rules.js';
import {
  adjustUsage, findArtifacts, insertArtifact, insertTombstone, liveCopies, lockTenantStorage, type ArtifactRecord,
} from './artifact.repository.js';

/** The store a service runs with: the blob backend and where datasets are materialised for trials. */
export interface ArtifactStorage {
  backend: ArtifactBackend;
  /** `<cacheRoot>/<tenant>/<sha256>/<dataset name>`: read by trials on this host. */
  cacheRoot: string;
}

export interface StoreInput {
  tenant: string;
  name: string;
  kind: ArtifactKind;
  content: Readable | Uint8Array;
  expectedSha256?: string;
  maxBytes: number;
  experimentId: string | null;
  trialId: string | null;
  attemptId: string | null;
  source: ArtifactRecord['source'];
  createdBy: string;
  reason: string | null;
}

/**
 * Stores bytes and their record. The bytes are staged (hashed, size-checked, verified) outside any
 * lock; then, in one transaction holding the tenant's storage row lock, the quota is checked
 * (content the tenant already holds costs nothing), the blob published, the record inserted and
 * the usage raised — so concurrent uploads of a tenant can never exceed its hard limit together.
 * Refused or failed: the staged bytes are dropped and nothing is recorded.
 */
export async function storeArtifact(em: EntityManager, storage: ArtifactStorage, input: StoreInput): Promise<ArtifactRecord> {
  let staged;
  try {
    staged = await storage.backend.stage(input.tenant, input.content, { expectedSha256: input.expectedSha256, maxBytes: input.maxBytes });
  } catch (err) {
    if (err instanceof BlobDigestMismatch) throw errors.invalidInput('sha256', err.message);
    if (err instanceof BlobTooLarge) throw errors.invalidInput('content', err.message);
    throw err;
  }
  const id = randomUUID();
  try {
    await em.transactional(async (tx) => {
      const state = await lockTenantStorage(tx, input.tenant);
      const held = (await liveCopies(tx, input.tenant, staged.ref.sha256)) > 0;
      const charge = storageCharge(state, staged.size, held);
      await staged.commit();
      await insertArtifact(tx, {
        id, tenant: input.tenant, name: input.name, kind: input.kind, sha256: staged.ref.sha256, sizeBytes: staged.size, chargedBytes: charge,
        experimentId: input.experimentId, trialId: input.trialId, attemptId: input.attemptId, source: input.source, createdBy: input.createdBy, reason: input.reason,
      });
      await adjustUsage(tx, input.tenant, charge, 1);
    });
  } catch (err) {
    await staged.discard();
    throw err;
  }
  const [record] = await findArtifacts(em, [id]);
  return record!;
}

/**
 * Tombstones a record (append-only: who, when, why) and frees its bytes when it was the tenant's
 * last live copy of that content; the blob itself is removed afterwards, under the same lock, only
 * if no live record took it again meanwhile.
 */
export async function tombstoneArtifact(em: EntityManager, storage: ArtifactStorage, record: ArtifactRecord, deletedBy: string, reason: string): Promise<void> {
  let freed = 0;
  await em.transactional(async (tx) => {
    await lockTenantStorage(tx, record.tenant);
    const [current] = await tx.execute<{ n: number }[]>('SELECT count(*)::int AS n FROM experiments.artifact_tombstone WHERE artifact_id = ?', [record.id]);
    if (current!.n > 0) throw errors.conflict(`artifact "${record.id}" is already deleted`, { id: record.id });
    freed = storageRelease(record.sizeBytes, await liveCopies(tx, record.tenant, record.sha256, record.id));
    await insertTombstone(tx, { artifactId: record.id, tenant: record.tenant, freedBytes: freed, deletedBy, reason });
    await adjustUsage(tx, record.tenant, -freed, -1);
  });
  if (freed > 0) await collectBlob(em, storage, record.tenant, record.sha256);
}

/** Removes a blob no live record of its tenant refers to (under the tenant's storage lock). */
export async function collectBlob(em: EntityManager, storage: ArtifactStorage, tenant: string, sha256: string): Promise<boolean> {
  return em.transactional(async (tx) => {
    await lockTenantStorage(tx, tenant);
    if ((await liveCopies(tx, tenant, sha256)) > 0) return false;
    return storage.backend.delete({ namespace: tenant, sha256 });
  });
}
