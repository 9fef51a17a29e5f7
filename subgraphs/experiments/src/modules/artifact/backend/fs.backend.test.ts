import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { BlobDigestMismatch, BlobNotFound, BlobTooLarge } from './artifact-backend.js';
import { FsArtifactBackend } from './fs.backend.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const read = async (s: Readable) => {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

describe('filesystem artifact backend', () => {
  let root: string;
  let fs: FsArtifactBackend;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'fs-artifacts-'));
    fs = new FsArtifactBackend(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('stores streamed bytes under tenant + digest, read-only, and de-duplicates identical content', async () => {
    const data = Buffer.from('x'.repeat(100_000));
    const first = await fs.put('alpha', Readable.from([data.subarray(0, 30_000), data.subarray(30_000)]));
    expect(first).toEqual({ ref: { namespace: 'alpha', sha256: sha(data) }, size: 100_000, created: true });
    expect(fs.localPath(first.ref)).toBe(join(root, 'blobs', 'alpha', 'sha256', sha(data).slice(0, 2), sha(data)));
    expect(await fs.put('alpha', data)).toMatchObject({ created: false, size: 100_000 });
    expect(await fs.put('beta', data)).toMatchObject({ created: true }); // never shared across tenants
    expect(await read(await fs.get(first.ref, { verify: true }))).toEqual(data);
    expect(await fs.stat(first.ref)).toEqual({ size: 100_000 });
    expect((await stat(fs.localPath(first.ref)!)).mode & 0o777).toBe(0o440);
    expect(await readdir(join(root, 'staging'))).toEqual([]);
  });

  it('verifies the digest while streaming and keeps nothing on a mismatch or an oversize stream', async () => {
    await expect(fs.put('alpha', Buffer.from('abc'), { expectedSha256: sha('abd') })).rejects.toThrow(BlobDigestMismatch);
    await expect(fs.put('alpha', Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), { maxBytes: 1000 })).rejects.toThrow(BlobTooLarge);
    expect(await readdir(join(root, 'staging'))).toEqual([]);
    expect(await fs.exists({ namespace: 'alpha', sha256: sha('abc') })).toBe(false);
    const ok = await fs.put('alpha', Buffer.from('abc'), { expectedSha256: sha('abc') });
    expect(ok.created).toBe(true);
  });

  it('makes staged bytes visible only on commit; discard leaves nothing', async () => {
    const staged = await fs.stage('alpha', Buffer.from('later'));
    expect(await fs.exists(staged.ref)).toBe(false);
    await staged.commit();
    expect(await fs.exists(staged.ref)).toBe(true);
    const dropped = await fs.stage('alpha', Buffer.from('never'));
    await dropped.discard();
    expect(await fs.exists(dropped.ref)).toBe(false);
    expect(await readdir(join(root, 'staging'))).toEqual([]);
  });

  it('detects corrupted bytes on a verified read, deletes, and refuses unsafe names', async () => {
    const { ref } = await fs.put('alpha', Buffer.from('precious'));
    await rm(fs.localPath(ref)!);
    await writeFile(fs.localPath(ref)!, 'rotten!!');
    await expect(read(await fs.get(ref, { verify: true }))).rejects.toThrow(BlobDigestMismatch);
    expect(await readFile(fs.localPath(ref)!, 'utf8')).toBe('rotten!!');
    expect(await fs.delete(ref)).toBe(true);
    expect(await fs.delete(ref)).toBe(false);
    await expect(fs.get(ref)).rejects.toThrow(BlobNotFound);
    await expect(fs.put('../etc', Buffer.from('x'))).rejects.toThrow('invalid blob namespace');
    expect(() => fs.localPath({ namespace: 'alpha', sha256: '../../x' })).toThrow('invalid sha256');
  });
});
