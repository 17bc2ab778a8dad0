import { describe, expect, it } from 'vitest';
import { createTotpCodes, TotpSeedError, toTotpCode, toTotpStep } from '../../canary/totp';

/** RFC 6238 appendix B: the seeds are the ASCII strings below, the codes 8 digits. */
const RFC_SEEDS = {
  SHA1: '12345678901234567890',
  SHA256: '12345678901234567890123456789012',
  SHA512: '1234567890123456789012345678901234567890123456789012345678901234',
} as const;

/** Base32 (RFC 4648, no padding) of an ASCII string, written out so the test does not trust the library for it. */
const base32 = (text: string): string => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const byte of Buffer.from(text, 'ascii')) bits += byte.toString(2).padStart(8, '0');
  let out = '';
  for (let index = 0; index < bits.length; index += 5) {
    out += alphabet[Number.parseInt(bits.slice(index, index + 5).padEnd(5, '0'), 2)];
  }
  return out;
};

describe('toTotpCode: RFC 6238 test vectors', () => {
  it.each([
    [59, '94287082', 'SHA1'],
    [59, '46119246', 'SHA256'],
    [59, '90693936', 'SHA512'],
    [1111111109, '07081804', 'SHA1'],
    [1111111109, '68084774', 'SHA256'],
    [1111111109, '25091201', 'SHA512'],
    [1111111111, '14050471', 'SHA1'],
    [1111111111, '67062674', 'SHA256'],
    [1111111111, '99943326', 'SHA512'],
    [1234567890, '89005924', 'SHA1'],
    [1234567890, '91819424', 'SHA256'],
    [1234567890, '93441116', 'SHA512'],
    [2000000000, '69279037', 'SHA1'],
    [2000000000, '90698825', 'SHA256'],
    [2000000000, '38618901', 'SHA512'],
    [20000000000, '65353130', 'SHA1'],
    [20000000000, '77737706', 'SHA256'],
    [20000000000, '47863826', 'SHA512'],
  ] as const)('at %i s gives %s with %s', (seconds, code, algorithm) => {
    expect(toTotpCode(base32(RFC_SEEDS[algorithm]), seconds * 1000, { digits: 8, algorithm })).toBe(code);
  });

  it('defaults to what Cognito uses: 6 digits, SHA-1, 30-second steps (the last 6 digits of the RFC code)', () => {
    expect(toTotpCode(base32(RFC_SEEDS.SHA1), 59_000)).toBe('287082');
    expect(toTotpCode(base32(RFC_SEEDS.SHA1), 1_111_111_109_000)).toBe('081804');
  });

  it('accepts the seed in lower case and with spaces, as authenticator apps show it', () => {
    const seed = base32(RFC_SEEDS.SHA1);
    const spaced = seed.toLowerCase().replace(/(.{4})/g, '$1 ');
    expect(toTotpCode(spaced, 59_000)).toBe(toTotpCode(seed, 59_000));
  });

  it('refuses a seed that is not base32 without quoting it', () => {
    const seed = 'not-base32-0189!';
    expect(() => toTotpCode(seed, 0)).toThrow(TotpSeedError);
    try {
      toTotpCode(seed, 0);
    } catch (error) {
      expect((error as Error).message).not.toContain(seed);
    }
  });
});

describe('createTotpCodes: never the same code twice in one step', () => {
  const seed = base32(RFC_SEEDS.SHA1);

  it('hands out a step once per key, then says how long to wait for the next step', () => {
    const codes = createTotpCodes();
    const at = 1_111_111_109_000; // 29 s into its step
    expect(codes.take('pool/user', seed, at)).toEqual({ code: '081804', step: toTotpStep(at) });
    expect(codes.take('pool/user', seed, at + 500)).toEqual({ waitMs: 500 });
    expect(codes.take('pool/user', seed, at + 1_000)).toEqual({
      code: toTotpCode(seed, at + 1_000),
      step: toTotpStep(at) + 1,
    });
  });

  it('keeps keys apart: another user of the same seed is not held back', () => {
    const codes = createTotpCodes();
    expect('code' in codes.take('pool/a', seed, 59_000)).toBe(true);
    expect('code' in codes.take('pool/b', seed, 59_000)).toBe(true);
  });
});
