import type { Principal } from '@fairsweep/auth';
import type { EntityManager } from '@mikro-orm/postgresql';
import { assertCan, errors, groupLoader, keyLoader, visibleTenantFilter } from '@fairsweep/service-kit';
import { BlobNotFound } from './backend/artifact-backend.js';
import {
  decodeBase64, MAX_INLINE_BYTES, validateArtifactName, validateKind, validateNamespace, validateSha256, type ArtifactKind,
} from './artifact.rules.js';
import {
  emptyStorage, findArtifacts, listArtifacts, readTenantStorage, type ArtifactRecord, type TenantStorageRow,
} from './artifact.repository.js';
import { storeArtifact, tombstoneArtifact, type ArtifactStorage } from './artifact.store.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AttemptOutputRow {
  attemptId: string;
  file: string;
  trialId: string;
  tenant: string;
  status: string;
  artifactId: string | null;
  detail: string | null;
  recordedAt: Date;
}

export interface UploadInput {
  tenant: string;
  name: string;
  kind: string;
  contentBase64: string;
  experimentId?: string | null;
  trialId?: string | null;
  attemptId?: string | null;
  sha256?: string | null;
  reason?: string | null;
}

/** Per-request use cases of the artifact store; every read and write is scoped to the caller's tenants. */
export class ArtifactService {
  readonly loaders;

  constructor(private readonly em: EntityManager, private readonly principal: Principal, readonly storage: ArtifactStorage) {
    const visible = (rows: ArtifactRecord[]) => rows.filter((a) => this.principal.canSee(a.tenant));
    const live = `AND NOT EXISTS (SELECT 1 FROM experiments.artifact_tombstone t WHERE t.artifact_id = a.id)`;
    const byColumn = async (column: 'experiment_id' | 'trial_id', ids: readonly string[]) => {
      const rows = await em.execute<{ id: string }[]>(`SELECT a.id FROM experiments.artifact a WHERE a.${column} IN (?) ${live} ORDER BY a.created_at, a.id`, [ids]);
      return visible(await findArtifacts(em, rows.map((r) => r.id))).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
    };
    this.loaders = {
      artifact: keyLoader<string, ArtifactRecord>(async (ids) => visible(await findArtifacts(em, ids)), (a) => a.id),
      byExperiment: groupLoader<string, ArtifactRecord>((ids) => byColumn('experiment_id', ids), (a) => a.experimentId!),
      byTrial: groupLoader<string, ArtifactRecord>((ids) => byColumn('trial_id', ids), (a) => a.trialId!),
      storage: keyLoader<string, TenantStorageRow>((tenants) => readTenantStorage(em, tenants), (s) => s.tenant),
      outputsByTrial: groupLoader<string, AttemptOutputRow>(
        async (ids) => {
          const rows = await em.execute<(Omit<AttemptOutputRow, 'recordedAt'> & { recordedAt: Date | string })[]>(
            `SELECT attempt_id AS "attemptId", file, trial_id AS "trialId", tenant, status, artifact_id AS "artifactId", detail, recorded_at AS "recordedAt"
             FROM experiments.attempt_output WHERE trial_id IN (?) ORDER BY recorded_at, attempt_id, file`,
            [ids],
          );
          // Raw rows carry timestamps as the driver gives them (a string): DateTimeISO wants a Date.
          return rows.map((r) => ({ ...r, recordedAt: new Date(r.recordedAt) }));
        },
        (o) => o.trialId,
      ),
    };
  }

  /** An artifact by id; null when missing or in a tenant the caller cannot see. */
  async get(id: string): Promise<ArtifactRecord | null> {
    if (!UUID.test(id)) return null;
    return this.loaders.artifact.load(id.toLowerCase());
  }

  async list(tenant: string, f: { experimentId?: string | null; trialId?: string | null; kind?: string | null; includeDeleted?: boolean; limit?: number }): Promise<ArtifactRecord[]> {
    if (!this.principal.canSee(tenant)) throw errors.notFound('tenant', tenant);
    const limit = f.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw errors.invalidInput('limit', `must be 1-1000, got ${limit}`);
    for (const [field, v] of [['experimentId', f.experimentId], ['trialId', f.trialId]] as const) {
      if (v && !UUID.test(v)) throw errors.invalidInput(field, `"${v}" is not a UUID`);
    }
    return listArtifacts(this.em, {
      tenant, limit, includeDeleted: f.includeDeleted ?? false, kind: f.kind ? validateKind(f.kind) : null,
      experimentIds: f.experimentId ? [f.experimentId] : undefined, trialIds: f.trialId ? [f.trialId] : undefined,
    });
  }

  async upload(input: UploadInput): Promise<ArtifactRecord> {
    assertCan(this.principal, input.tenant, 'submit');
    validateNamespace(input.tenant);
    const name = validateArtifactName(input.name);
    const kind = validateKind(input.kind);
    const expected = input.sha256 ? validateSha256('sha256', input.sha256) : undefined;
    const content = decodeBase64('contentBase64', input.contentBase64);
    const links = await this.checkLinks(input.tenant, input.experimentId ?? null, input.trialId ?? null, input.attemptId ?? null);
    return storeArtifact(this.em.fork(), this.storage, {
      tenant: input.tenant, name, kind, content, expectedSha256: expected, maxBytes: MAX_INLINE_BYTES, ...links,
      source: 'upload', createdBy: this.principal.subject, reason: input.reason ?? null,
    });
  }

  async delete(id: string, reason: string): Promise<ArtifactRecord> {
    const record = await this.get(id);
    if (!record) throw errors.notFound('artifact', id);
    assertCan(this.principal, record.tenant, 'submit');
    if (!reason.trim()) throw errors.invalidInput('reason', 'must say why the artifact is deleted');
    await tombstoneArtifact(this.em.fork(), this.storage, record, this.principal.subject, reason.trim());
    const [after] = await findArtifacts(this.em.fork(), [record.id]);
    return after!;
  }

  /** The artifact's bytes, base64; only for artifacts up to MAX_INLINE_BYTES. */
  async contentBase64(a: ArtifactRecord): Promise<string> {
    if (!this.principal.canSee(a.tenant)) throw errors.notFound('artifact', a.id);
    if (a.deletedAt) throw errors.conflict(`artifact "${a.id}" was deleted`, { id: a.id });
    if (a.sizeBytes > MAX_INLINE_BYTES) throw errors.invalidInput('contentBase64', `artifact is ${a.sizeBytes} bytes; at most ${MAX_INLINE_BYTES} are returned inline`);
    try {
      const chunks: Buffer[] = [];
      for await (const c of await this.storage.backend.get({ namespace: a.tenant, sha256: a.sha256 }, { verify: true })) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('base64');
    } catch (err) {
      if (err instanceof BlobNotFound) throw errors.conflict(`the bytes of artifact "${a.id}" are missing from the ${this.storage.backend.name} store`, { id: a.id });
      throw err;
    }
  }

  async tenantStorage(tenant: string): Promise<TenantStorageRow> {
    if (!this.principal.canSee(tenant)) throw errors.notFound('tenant', tenant);
    return (await this.loaders.storage.load(tenant)) ?? emptyStorage(tenant);
  }

  /** Tenants whose storage the caller may list (null: all). */
  visibleTenants(): string[] | null {
    return visibleTenantFilter(this.principal);
  }

  /** Experiment, trial and attempt links must name objects of the same tenant; the trial fixes the experiment. */
  private async checkLinks(tenant: string, experimentId: string | null, trialId: string | null, attemptId: string | null) {
    let experiment = experimentId;
    if (trialId) {
      if (!UUID.test(trialId)) throw errors.invalidInput('trialId', `"${trialId}" is not a UUID`);
      const [t] = await this.em.execute<{ experiment_id: string; tenant: string }[]>('SELECT experiment_id, tenant FROM experiments.trial WHERE id = ?', [trialId]);
      if (!t || t.tenant !== tenant) throw errors.notFound('trial', trialId);
      if (experiment && experiment !== t.experiment_id) throw errors.invalidInput('experimentId', `trial "${trialId}" belongs to experiment "${t.experiment_id}", not "${experiment}"`);
      experiment = t.experiment_id;
    }
    if (experiment) {
      if (!UUID.test(experiment)) throw errors.invalidInput('experimentId', `"${experiment}" is not a UUID`);
      const [e] = await this.em.execute<{ tenant: string }[]>('SELECT tenant FROM experiments.experiment WHERE id = ?', [experiment]);
      if (!e || e.tenant !== tenant) throw errors.notFound('experiment', experiment);
    }
    if (attemptId) {
      if (!trialId) throw errors.invalidInput('attemptId', 'needs trialId');
      const [a] = await this.em.execute<{ n: number }[]>('SELECT count(*)::int AS n FROM experiments.trial_attempt WHERE attempt_id = ? AND trial_id = ?', [attemptId, trialId]);
      if (a!.n === 0) throw errors.notFound('attempt', attemptId);
    }
    return { experimentId: experiment, trialId, attemptId };
  }
}

export type { ArtifactKind };
