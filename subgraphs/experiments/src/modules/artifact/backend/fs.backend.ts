import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, link, mkdir, open, rm, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  BlobDigestMismatch, BlobNotFound, BlobTooLarge, type ArtifactBackend, type BlobRef, type PutOptions, type StagedBlob,
} from './artifact-backend.js';

const NAMESPACE = /^[a-z][a-z0-9-]{1,39}$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** Counts and hashes bytes as they pass; fails as soon as the size limit is crossed. */
class Hasher extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  constructor(private readonly maxBytes: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) return done(new BlobTooLarge(this.maxBytes));
    this.hash.update(chunk);
    done(null, chunk);
  }
}

/**
 * Filesystem backend: `<root>/blobs/<namespace>/sha256/<aa>/<digest>` (read-only files), staged in
 * `<root>/staging` on the same filesystem. A write is atomic: bytes go to a staging file (hashed
 * and size-checked while streaming, then fsynced) and are published with link(2), which never
 * overwrites — the filesystem's conditional put.
 */
export class FsArtifactBackend implements ArtifactBackend {
  readonly name = 'filesystem';
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private blobPath(ref: BlobRef): string {
    if (!NAMESPACE.test(ref.namespace)) throw new Error(`invalid blob namespace "${ref.namespace}"`);
    if (!SHA256.test(ref.sha256)) throw new Error(`invalid sha256 "${ref.sha256}"`);
    return join(this.root, 'blobs', ref.namespace, 'sha256', ref.sha256.slice(0, 2), ref.sha256);
  }

  localPath(ref: BlobRef): string | null {
    return this.blobPath(ref);
  }

  async stage(namespace: string, source: Readable | Uint8Array, options: PutOptions = {}): Promise<StagedBlob> {
    if (!NAMESPACE.test(namespace)) throw new Error(`invalid blob namespace "${namespace}"`);
    const stagingDir = join(this.root, 'staging');
    await mkdir(stagingDir, { recursive: true, mode: 0o750 });
    const tmp = join(stagingDir, `${randomUUID()}.part`);
    const hasher = new Hasher(options.maxBytes ?? Number.MAX_SAFE_INTEGER);
    const input = source instanceof Readable ? source : Readable.from([Buffer.from(source)]);
    try {
      await pipeline(input, hasher, createWriteStream(tmp, { flags: 'wx', mode: 0o640 }));
      const fh = await open(tmp, 'r');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    const sha256 = hasher.hash.digest('hex');
    if (options.expectedSha256 !== undefined && options.expectedSha256 !== sha256) {
      await rm(tmp, { force: true });
      throw new BlobDigestMismatch(options.expectedSha256, sha256);
    }
    const ref = { namespace, sha256 };
    const final = this.blobPath(ref);
    let settled = false;
    return {
      ref,
      size: hasher.size,
      commit: async () => {
        if (settled) throw new Error('staged blob already committed or discarded');
        settled = true;
        await mkdir(join(final, '..'), { recursive: true, mode: 0o750 });
        await chmod(tmp, 0o440);
        let created = true;
        try {
          await link(tmp, final);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
            await rm(tmp, { force: true });
            throw err;
          }
          created = false; // same digest, same bytes: already stored
        }
        await rm(tmp, { force: true });
        return { created };
      },
      discard: async () => {
        settled = true;
        await rm(tmp, { force: true });
      },
    };
  }

  async put(namespace: string, source: Readable | Uint8Array, options?: PutOptions) {
    const staged = await this.stage(namespace, source, options);
    const { created } = await staged.commit();
    return { ref: staged.ref, size: staged.size, created };
  }

  async get(ref: BlobRef, options: { verify?: boolean } = {}): Promise<Readable> {
    const path = this.blobPath(ref);
    if (!(await this.exists(ref))) throw new BlobNotFound(ref);
    const file = createReadStream(path);
    if (!options.verify) return file;
    const hash = createHash('sha256');
    const check = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        done(null, chunk);
      },
      flush(done) {
        const actual = hash.digest('hex');
        done(actual === ref.sha256 ? null : new BlobDigestMismatch(ref.sha256, actual));
      },
    });
    file.on('error', (err) => check.destroy(err));
    return file.pipe(check);
  }

  async stat(ref: BlobRef): Promise<{ size: number } | null> {
    try {
      const s = await stat(this.blobPath(ref));
      return { size: s.size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async exists(ref: BlobRef): Promise<boolean> {
    return (await this.stat(ref)) !== null;
  }

  async delete(ref: BlobRef): Promise<boolean> {
    try {
      await unlink(this.blobPath(ref));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }
}
