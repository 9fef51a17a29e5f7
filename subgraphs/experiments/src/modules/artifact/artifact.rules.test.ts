import { FairsweepError } from '@fairsweep/service-kit';
import { decodeBase64, storageCharge, storageRelease, validateArtifactName, validateKind, validateSha256 } from './artifact.rules.js';

const state = (usedBytes: number, allowedBytes: number | null) => ({ tenant: 'alpha', usedBytes, allowedBytes, quotaVersion: 3 });
const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return err instanceof FairsweepError ? { code: err.code, message: err.message, details: err.details } : err;
  }
  return null;
};

describe('storage quota arithmetic', () => {
  it('charges new content its size up to exactly the limit, and refuses one byte more with the numbers', () => {
    expect(storageCharge(state(900, 1000), 100, false)).toBe(100);
    expect(codeOf(() => storageCharge(state(900, 1000), 101, false))).toEqual({
      code: 'STORAGE_QUOTA_EXCEEDED',
      message: 'tenant "alpha" storage quota exceeded: 900 bytes used + 101 requested > 1000 allowed (quota version 3)',
      details: { tenant: 'alpha', usedBytes: 900, requestedBytes: 101, allowedBytes: 1000, quotaVersion: 3 },
    });
  });

  it('charges nothing for content the tenant already holds, even when at or over its limit', () => {
    expect(storageCharge(state(1000, 1000), 500, true)).toBe(0);
    expect(storageCharge(state(2000, 1000), 500, true)).toBe(0);
  });

  it('has no limit without a storage quota; a zero quota refuses everything but empty content', () => {
    expect(storageCharge(state(10 ** 12, null), 10 ** 9, false)).toBe(10 ** 9);
    expect(storageCharge(state(0, 0), 0, false)).toBe(0);
    expect((codeOf(() => storageCharge(state(0, 0), 1, false)) as { code: string }).code).toBe('STORAGE_QUOTA_EXCEEDED');
  });

  it('frees bytes only with the last live copy of the content', () => {
    expect(storageRelease(100, 0)).toBe(100);
    expect(storageRelease(100, 2)).toBe(0);
  });
});

describe('artifact input', () => {
  it('decodes strict base64 within the inline limit and names the argument otherwise', () => {
    expect(decodeBase64('c', Buffer.from('hello').toString('base64')).toString()).toBe('hello');
    expect(decodeBase64('c', '').length).toBe(0);
    expect(() => decodeBase64('c', 'not base64!')).toThrow('c: is not valid base64');
    expect(() => decodeBase64('c', 'QUJD=')).toThrow('c: is not valid base64');
    expect(() => decodeBase64('c', Buffer.alloc(11).toString('base64'), 10)).toThrow('c: is 11 bytes decoded; at most 10 bytes may be uploaded inline');
    expect(() => decodeBase64('c', 'A'.repeat(4000), 10)).toThrow(/about 3000 bytes/);
  });

  it('validates digests, kinds and names', () => {
    expect(validateSha256('s', 'AB'.repeat(32))).toBe('ab'.repeat(32));
    expect(() => validateSha256('s', 'xyz')).toThrow('s: must be a SHA-256 digest as 64 hexadecimal characters, got "xyz"');
    expect(validateKind('checkpoint')).toBe('checkpoint');
    expect(() => validateKind('movie')).toThrow('kind: "movie" is not one of log, checkpoint, model, dataset, other');
    expect(validateArtifactName('  model.pt ')).toBe('model.pt');
    expect(() => validateArtifactName('')).toThrow('name: must be 1-255 characters, got 0');
    expect(() => validateArtifactName('a\nb')).toThrow('name: must not contain control characters');
  });
});
