import { describe, expect, it } from 'vitest';
import { createGroupContext, hasKeywordFrom } from '../../logs/line-state';

describe('hasKeywordFrom', () => {
  const group = createGroupContext('/aws/lambda/shop-presignup', () => ({ trigger: 'PreSignUp' }), undefined);
  const line = '2026-11-26T09:15:00.035Z\tid\tINFO\ttriggerSource? {"a":1} then {"autoConfirmUser":true}';

  it('finds a keyword at or after the index, not before it', () => {
    const firstBrace = line.indexOf('{');
    expect(hasKeywordFrom(group, line, firstBrace)).toBe(true);
    expect(hasKeywordFrom(group, line, line.indexOf('autoConfirmUser') + 1)).toBe(false);
    expect(hasKeywordFrom(group, line, 0)).toBe(true);
  });

  it('keeps no position between calls (the shared regex is reset)', () => {
    expect(hasKeywordFrom(group, line, 0)).toBe(true);
    expect(hasKeywordFrom(group, 'triggerSource', 0)).toBe(true);
    expect(hasKeywordFrom(group, 'no words here', 0)).toBe(false);
    expect(hasKeywordFrom(group, 'triggerSource', 0)).toBe(true);
  });

  it('sees only what lies past a message prefix that names a keyword', () => {
    expect(hasKeywordFrom(group, 'errorType says {"a":1}', 'errorType says '.length)).toBe(false);
  });
});
