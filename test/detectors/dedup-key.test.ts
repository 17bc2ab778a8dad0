import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { triggerError } from '../../detectors/trigger-error';
import { boundDedupKey, MAX_DEDUP_KEY_CHARS, toDedupKey } from '../../detectors/types';
import { context, functionError } from '../fixtures/observations/builders';

const utf8Bytes = (text: string): number => new TextEncoder().encode(text).length;

describe('dedup keys', () => {
  it('keeps a short key as it is', () => {
    expect(toDedupKey('trigger-error', 'us-east-1_AbC', 'PreSignUp', 'TimeoutError')).toBe(
      'trigger-error:us-east-1_AbC:PreSignUp:TimeoutError',
    );
  });

  it('bounds a key built from a 3,000-character errorType: readable prefix, hash of the whole, under both limits', () => {
    const [finding] = triggerError.detect(
      [functionError({ label: 'invoke-error', errorType: 'E'.repeat(3_000), errorMessage: 'boom' })],
      context(),
    );
    const key = finding?.dedupKey ?? '';
    expect(key.length).toBeLessThanOrEqual(MAX_DEDUP_KEY_CHARS);
    expect(utf8Bytes(key)).toBeLessThan(2_048);
    expect(key).toMatch(/^trigger-error:[^~]+:PreSignUp:E+~[0-9a-f]{16}$/);
  });

  it('is stable, idempotent, bounded and keeps distinct long keys distinct, for any text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 2_000 }),
        fc.string({ maxLength: 5 }),
        (text, tail) => {
          const key = boundDedupKey(text);
          expect(boundDedupKey(text)).toBe(key);
          expect(boundDedupKey(key)).toBe(key);
          expect(key.length).toBeLessThanOrEqual(MAX_DEDUP_KEY_CHARS);
          expect(utf8Bytes(key)).toBeLessThan(2_048);
          // Graphemes are well-formed text; the cut never leaves half a surrogate pair.
          expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(key)).toBe(false);
          if (tail !== '' && text.length > MAX_DEDUP_KEY_CHARS)
            expect(boundDedupKey(text + tail)).not.toBe(key);
        },
      ),
      { seed: 9, numRuns: 300 },
    );
  });
});
