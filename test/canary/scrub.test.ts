import { describe, expect, it } from 'vitest';
import { createScrubber } from '../../canary/scrub';

describe('createScrubber', () => {
  it('removes registered values (longest first) and whatever redact recognises', () => {
    const scrubber = createScrubber();
    scrubber.add('sentinel-canary-user', 'username');
    scrubber.add('f95b9b17-4a23-47b0-836b-d651c847c58e', 'refresh-token');
    scrubber.add('ab', 'password');
    expect(
      scrubber.scrub('f95b9b17-4a23-47b0-836b-d651c847c58e for sentinel-canary-user, ab, mary@example.com'),
    ).toBe('[redacted:refresh-token] for [redacted:username], ab, [redacted:email]');
  });
});
