import type { EntityManager } from '@mikro-orm/postgresql';
import type { ArtifactKind, StorageState } from './artifact.rules.js';

/** The artifact store's persistence adapter: plain SQL on experiments.artifact and friends. */

export interface ArtifactRecord {
  id: string;
  tenant: string;
  name: string;
  kind: ArtifactKind;
  sha256: string;
  sizeBytes: number;
  chargedBytes: number;
  experimentId: string | null;
  trialId: string | null;
  attemptId: string | null;
  source: 'upload' | 'attempt-output' | 'dataset';
  createdBy: string;
  createdAt: Date;
  reason: string | null;
  deletedAt: Date | null;
  deletedBy: string | null;
  deleteReason: string | null;
}

export interface TenantStorageRow extends StorageState {
  artifactCount: number;
  datasetCacheHits: number;
  datasetCacheMisses: number;
}

const SELECT_ARTIFACT = `SELECT a.id, a.tenant, a.name, a.kind, a.sha256, a.size_bytes::text AS size_bytes, a.charged_bytes::text AS charged_bytes,
    a.experiment_id, a.trial_id, a.attempt_id, a.source, a.created_by, a.created_at, a.reason,
    t.deleted_at, t.deleted_by, t.reason AS delete_reason
  FROM experiments.artifact a LEFT JOIN experiments.artifact_tombstone t ON t.artifact_id = a.id`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw rows
function toRecord(r: any): ArtifactRecord {
  return {
    id: r.id, tenant: r.tenant, name: r.name, kind: r.kind, sha256: r.sha256, sizeBytes: Number(r.size_bytes), chargedBytes: Number(r.charged_bytes),
    experimentId: r.experiment_id, trialId: r.trial_id, attemptId: r.attempt_id, source: r.source, createdBy: r.created_by,
    createdAt: new Date(r.created_at), reason: r.reason,
    deletedAt: r.deleted_at ? new Date(r.deleted_at) : null, deletedBy: r.deleted_by ?? null, deleteReason: r.delete_reason ?? null,
  };
}

export async function findArtifacts(em: EntityManager, ids: readonly string[]): Promise<ArtifactRecord[]> {
  if (ids.length === 0) return [];
  return (await em.execute(`${SELECT_ARTIFACT} WHERE a.id IN (?)`, [ids])).map(toRecord);
}

export interface ArtifactFilter {
  tenant: string;
  experimentIds?: readonly string[];
  trialIds?: readonly string[];
  kind?: ArtifactKind | null;
  includeDeleted?: boolean;
  limit?: number;
}

/** Newest first. The caller has checked that the principal may see `tenant`. */
export async function listArtifacts(em: EntityManager, f: ArtifactFilter): Promise<ArtifactRecord[]> {
  const where = ['a.tenant = ?'];
  const params: unknown[] = [f.tenant];
  if (f.experimentIds) {
    if (f.experimentIds.length === 0) return [];
    where.push('a.experiment_id IN (?)');
    params.push(f.experimentIds);
  }
  if (f.trialIds) {
    if (f.trialIds.length === 0) return [];
    where.push('a.trial_id IN (?)');
    params.push(f.trialIds);
  }
  if (f.kind) {
    where.push('a.kind = ?');
    params.push(f.kind);
  }
  if (!f.includeDeleted) where.push('t.artifact_id IS NULL');
  const limit = f.limit ? ` LIMIT ${Math.trunc(f.limit)}` : '';
  return (await em.execute(`${SELECT_ARTIFACT} WHERE ${where.join(' AND ')} ORDER BY a.created_at DESC, a.id DESC${limit}`, params)).map(toRecord);
}

/** Locks (creating if needed) the tenant's storage row: every store and delete of a tenant goes through it, one at a time. */
export async function lockTenantStorage(em: EntityManager, tenant: string): Promise<TenantStorageRow> {
  await em.execute('INSERT INTO experiments.tenant_storage (tenant) VALUES (?) ON CONFLICT DO NOTHING', [tenant], 'run');
  const [row] = await em.execute(`SELECT * FROM experiments.tenant_storage WHERE tenant = ? FOR UPDATE`, [tenant]);
  return toStorage(row);
}

export async function readTenantStorage(em: EntityManager, tenants: readonly string[]): Promise<TenantStorageRow[]> {
  if (tenants.length === 0) return [];
  return (await em.execute(`SELECT * FROM experiments.tenant_storage WHERE tenant IN (?)`, [tenants])).map(toStorage);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw row
function toStorage(r: any): TenantStorageRow {
  return {
    tenant: r.tenant, usedBytes: Number(r.used_bytes), allowedBytes: r.allowed_bytes === null ? null : Number(r.allowed_bytes),
    quotaVersion: r.quota_version === 0 ? null : Number(r.quota_version), artifactCount: Number(r.artifact_count),
    datasetCacheHits: Number(r.dataset_cache_hits), datasetCacheMisses: Number(r.dataset_cache_misses),
  };
}

export function emptyStorage(tenant: string): TenantStorageRow {
  return { tenant, usedBytes: 0, allowedBytes: null, quotaVersion: null, artifactCount: 0, datasetCacheHits: 0, datasetCacheMisses: 0 };
}

/** Live (not tombstoned) records of the tenant holding this content, other than `exceptId`. */
export async function liveCopies(em: EntityManager, tenant: string, sha256: string, exceptId: string | null = null): Promise<number> {
  const [row] = await em.execute<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM experiments.artifact a
     WHERE a.tenant = ? AND a.sha256 = ? AND a.id IS DISTINCT FROM ?::uuid
       AND NOT EXISTS (SELECT 1 FROM experiments.artifact_tombstone t WHERE t.artifact_id = a.id)`,
    [tenant, sha256, exceptId],
  );
  return row!.n;
}

export async function insertArtifact(em: EntityManager, a: Omit<ArtifactRecord, 'createdAt' | 'deletedAt' | 'deletedBy' | 'deleteReason'>): Promise<void> {
  await em.execute(
    `INSERT INTO experiments.artifact (id, tenant, name, kind, sha256, size_bytes, charged_bytes, experiment_id, trial_id, attempt_id, source, created_by, reason)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [a.id, a.tenant, a.name, a.kind, a.sha256, a.sizeBytes, a.chargedBytes, a.experimentId, a.trialId, a.attemptId, a.source, a.createdBy, a.reason],
    'run',
  );
}

export async function insertTombstone(em: EntityManager, t: { artifactId: string; tenant: string; freedBytes: number; deletedBy: string; reason: string }): Promise<void> {
  await em.execute(
    'INSERT INTO experiments.artifact_tombstone (artifact_id, tenant, freed_bytes, deleted_by, reason) VALUES (?, ?, ?, ?, ?)',
    [t.artifactId, t.tenant, t.freedBytes, t.deletedBy, t.reason],
    'run',
  );
}

export async function adjustUsage(em: EntityManager, tenant: string, bytes: number, count: number): Promise<void> {
  await em.execute(
    'UPDATE experiments.tenant_storage SET used_bytes = used_bytes + ?, artifact_count = artifact_count + ?, updated_at = now() WHERE tenant = ?',
    [bytes, count, tenant],
    'run',
  );
}

/** Applies a storage quota version; an older or equal version never overrides a newer one. */
export async function applyStorageQuota(em: EntityManager, tenant: string, version: number, allowedBytes: number | null): Promise<void> {
  await em.execute(
    `INSERT INTO experiments.tenant_storage (tenant, allowed_bytes, quota_version) VALUES (?, ?, ?)
     ON CONFLICT (tenant) DO UPDATE SET allowed_bytes = EXCLUDED.allowed_bytes, quota_version = EXCLUDED.quota_version, updated_at = now()
     WHERE experiments.tenant_storage.quota_version < EXCLUDED.quota_version`,
    [tenant, allowedBytes, version],
    'run',
  );
}

export async function countCacheLookup(em: EntityManager, tenant: string, hit: boolean): Promise<void> {
  await em.execute('INSERT INTO experiments.tenant_storage (tenant) VALUES (?) ON CONFLICT DO NOTHING', [tenant], 'run');
  await em.execute(
    `UPDATE experiments.tenant_storage SET ${hit ? 'dataset_cache_hits = dataset_cache_hits + 1' : 'dataset_cache_misses = dataset_cache_misses + 1'}, updated_at = now() WHERE tenant = ?`,
    [tenant],
    'run',
  );
}
