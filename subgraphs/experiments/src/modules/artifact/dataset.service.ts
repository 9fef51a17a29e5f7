import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Principal } from '@fairsweep/auth';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertCan, errors } from '@fairsweep/service-kit';
import { BlobDigestMismatch, BlobNotFound } from './backend/artifact-backend.js';
import {
  decodeBase64, MAX_INLINE_BYTES, validateDatasetName, validateDatasetVersion, validateNamespace, validateSha256,
} from './artifact.rules.js';
import { countCacheLookup, findArtifacts, lockTenantStorage, type ArtifactRecord } from './artifact.repository.js';
import { storeArtifact, type ArtifactStorage } from './artifact.store.js';

export interface DatasetRecord {
  tenant: string;
  name: string;
  version: string;
  sha256: string;
  sizeBytes: number;
  artifactId: string;
  registeredBy: string;
  registeredAt: Date;
  reason: string | null;
  deleted: boolean;
}

export interface DatasetResolution {
  dataset: DatasetRecord;
  /** The materialised file, readable by trials on this host. */
  path: string;
  /** The tenant's cache directory (`<cacheRoot>/<tenant>`). */
  cacheDir: string;
  hit: boolean;
}

const SELECT = `SELECT d.tenant, d.name, d.version, d.sha256, d.size_bytes::text AS size_bytes, d.artifact_id, d.registered_by, d.registered_at, d.reason,
    EXISTS (SELECT 1 FROM experiments.artifact_tombstone t WHERE t.artifact_id = d.artifact_id) AS deleted
  FROM experiments.dataset d`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw row
const toDataset = (r: any): DatasetRecord => ({
  tenant: r.tenant, name: r.name, version: r.version, sha256: r.sha256, sizeBytes: Number(r.size_bytes), artifactId: r.artifact_id,
  registeredBy: r.registered_by, registeredAt: new Date(r.registered_at), reason: r.reason, deleted: r.deleted,
});

/**
 * The dataset cache shared within a tenant. A dataset is registered once per tenant by (name,
 * version); its bytes are a `dataset` artifact (charged to the storage quota once, de-duplicated
 * like any artifact). `resolve` materialises it under `<cacheRoot>/<tenant>/<sha256>/<name>` —
 * a verified, read-only copy reused by every trial of the tenant — and counts a hit or a miss.
 */
export class DatasetService {
  constructor(private readonly em: EntityManager, private readonly principal: Principal, private readonly storage: ArtifactStorage) {}

  async list(tenant: string): Promise<DatasetRecord[]> {
    if (!this.principal.canSee(tenant)) throw errors.notFound('tenant', tenant);
    return (await this.em.execute(`${SELECT} WHERE d.tenant = ? ORDER BY d.name, d.registered_at DESC`, [tenant])).map(toDataset);
  }

  async artifactOf(d: DatasetRecord): Promise<ArtifactRecord | null> {
    if (!this.principal.canSee(d.tenant)) return null;
    return (await findArtifacts(this.em, [d.artifactId]))[0] ?? null;
  }

  async register(input: { tenant: string; name: string; version: string; contentBase64: string; sha256?: string | null; reason?: string | null }): Promise<DatasetRecord> {
    assertCan(this.principal, input.tenant, 'submit');
    validateNamespace(input.tenant);
    const name = validateDatasetName(input.name);
    const version = validateDatasetVersion(input.version);
    const expected = input.sha256 ? validateSha256('sha256', input.sha256) : undefined;
    const content = decodeBase64('contentBase64', input.contentBase64);
    const em = this.em.fork();
    await em.transactional(async (tx) => {
      await lockTenantStorage(tx, input.tenant); // registrations of a tenant take turns
      const [existing] = (await tx.execute(`${SELECT} WHERE d.tenant = ? AND d.name = ? AND d.version = ?`, [input.tenant, name, version])).map(toDataset);
      if (existing) {
        const digest = createHash('sha256').update(content).digest('hex');
        if (existing.sha256 === digest && !existing.deleted) return; // the same registration again: nothing to do
        throw errors.conflict(
          existing.deleted
            ? `dataset ${name}@${version} was deleted; versions are never reused: register a new version`
            : `dataset ${name}@${version} is already registered with sha256 ${existing.sha256}; versions are immutable: register a new version`,
          { tenant: input.tenant, name, version, sha256: existing.sha256 },
        );
      }
      const artifact = await storeArtifact(tx, this.storage, {
        tenant: input.tenant, name, kind: 'dataset', content, expectedSha256: expected, maxBytes: MAX_INLINE_BYTES,
        experimentId: null, trialId: null, attemptId: null, source: 'dataset', createdBy: this.principal.subject,
        reason: input.reason ?? `dataset ${name}@${version}`,
      });
      await tx.execute(
        'INSERT INTO experiments.dataset (tenant, name, version, artifact_id, sha256, size_bytes, registered_by, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [input.tenant, name, version, artifact.id, artifact.sha256, artifact.sizeBytes, this.principal.subject, input.reason ?? null],
        'run',
      );
    });
    const [row] = (await em.execute(`${SELECT} WHERE d.tenant = ? AND d.name = ? AND d.version = ?`, [input.tenant, name, version])).map(toDataset);
    return row!;
  }

  /** Finds the dataset by version (or content digest) and makes sure the tenant cache holds it. */
  async resolve(tenant: string, name: string, by: { version?: string | null; sha256?: string | null }, verify = false): Promise<DatasetResolution> {
    assertCan(this.principal, tenant, 'read');
    validateNamespace(tenant);
    validateDatasetName(name);
    if (!by.version === !by.sha256) throw errors.invalidInput('version', 'give exactly one of version or sha256');
    const [dataset] = (by.version
      ? await this.em.execute(`${SELECT} WHERE d.tenant = ? AND d.name = ? AND d.version = ?`, [tenant, name, validateDatasetVersion(by.version)])
      : await this.em.execute(`${SELECT} WHERE d.tenant = ? AND d.name = ? AND d.sha256 = ? ORDER BY d.registered_at DESC LIMIT 1`, [tenant, name, validateSha256('sha256', by.sha256!)])
    ).map(toDataset);
    const label = `${name}@${by.version ?? `sha256:${by.sha256}`}`;
    if (!dataset) throw errors.notFound('dataset', label);
    if (dataset.deleted) throw errors.conflict(`dataset ${label} was deleted`, { tenant, name });
    const cacheDir = join(this.storage.cacheRoot, tenant);
    const path = join(cacheDir, dataset.sha256, dataset.name);
    const hit = await this.cached(path, dataset, verify);
    if (!hit) await this.materialise(dataset, path);
    await this.em.fork().transactional((tx) => countCacheLookup(tx, tenant, hit));
    return { dataset, path, cacheDir, hit };
  }

  private async cached(path: string, d: DatasetRecord, verify: boolean): Promise<boolean> {
    try {
      const st = await stat(path);
      if (!st.isFile() || st.size !== d.sizeBytes) return false;
      if (!verify) return true;
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
      return hash.digest('hex') === d.sha256;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  /** A verified copy, published atomically (temp file + rename), read-only. */
  private async materialise(d: DatasetRecord, path: string): Promise<void> {
    const dir = join(path, '..');
    await mkdir(dir, { recursive: true, mode: 0o750 });
    const tmp = join(dir, `.${randomUUID()}.part`);
    try {
      await pipeline(await this.storage.backend.get({ namespace: d.tenant, sha256: d.sha256 }, { verify: true }), createWriteStream(tmp, { flags: 'wx', mode: 0o640 }));
      await chmod(tmp, 0o444);
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      if (err instanceof BlobNotFound || err instanceof BlobDigestMismatch) {
        throw errors.conflict(`dataset ${d.name}@${d.version} cannot be materialised: ${err.message}`, { tenant: d.tenant, name: d.name });
      }
      throw err;
    }
  }
}
