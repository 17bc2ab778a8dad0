import { describe, expect, it } from 'vitest';
import {
  describeFunction,
  formatSeconds,
  isSynchronous,
  locationOf,
  MAX_EXCERPT_CHARS,
  scopeOf,
  toExcerpt,
} from '../../detectors/log-evidence';
import { toDedupKey } from '../../detectors/types';
import { LOG_GROUP, origin, POOL } from '../fixtures/observations/builders';

describe('toExcerpt', () => {
  it('keeps a short line whole, on one line', () => {
    expect(toExcerpt('a\r\nb\rc\n')).toBe('a b c');
  });

  it('cuts a long line to the limit, centred on the focus, with ellipses', () => {
    const line = `${'a'.repeat(1000)}autoConfirmUser: 'true'${'b'.repeat(1000)}`;
    const excerpt = toExcerpt(line, 'autoConfirmUser');
    expect(excerpt).toContain("autoConfirmUser: 'true'");
    expect(excerpt.startsWith('…')).toBe(true);
    expect(excerpt.endsWith('…')).toBe(true);
    expect(excerpt.length).toBe(MAX_EXCERPT_CHARS);
  });

  it('keeps the start of a long line when the focus is absent', () => {
    const excerpt = toExcerpt('x'.repeat(1000), 'nowhere');
    expect(excerpt).toBe(`${'x'.repeat(MAX_EXCERPT_CHARS - 1)}…`);
  });

  it('keeps the end of a long line when the focus is near it', () => {
    const excerpt = toExcerpt(`${'x'.repeat(1000)}END`, 'END');
    expect(excerpt.endsWith('END')).toBe(true);
    expect(excerpt.length).toBe(MAX_EXCERPT_CHARS);
  });
});

describe('where a finding comes from', () => {
  it.each<[string, Parameters<typeof describeFunction>, string]>([
    ['trigger and function known', [origin()], 'PreSignUp trigger shop-presignup'],
    [
      'trigger given explicitly',
      [origin({ trigger: undefined }), 'CustomMessage'],
      'CustomMessage trigger shop-presignup',
    ],
    [
      'only the log group known',
      [origin({ trigger: undefined, functionName: undefined })],
      `Lambda ${LOG_GROUP}`,
    ],
  ])('describes the function with %s', (_name, args, expected) => {
    expect(describeFunction(...args)).toBe(expected);
  });

  it('scopes by the pool named in the evidence, then the log group pool, then the log group', () => {
    expect(scopeOf(origin(), 'eu-west-1_Other')).toBe('eu-west-1_Other');
    expect(scopeOf(origin())).toBe(POOL);
    expect(scopeOf(origin({ userPoolId: undefined }))).toBe(LOG_GROUP);
  });

  it.each([
    ['PreSignUp', true],
    ['DefineAuthChallenge', true],
    ['CustomEmailSender', false],
    ['CustomSMSSender', false],
    [undefined, true],
  ] as const)('treats %s as synchronous: %s', (trigger, expected) => {
    expect(isSynchronous(trigger)).toBe(expected);
  });

  it('carries only the location fields that are known', () => {
    expect(locationOf(origin({ logStream: undefined, region: undefined, eventId: '3748' }))).toEqual({
      userPoolId: POOL,
      trigger: 'PreSignUp',
      functionName: 'shop-presignup',
      logGroup: LOG_GROUP,
      timestamp: origin().timestamp,
    });
  });

  it.each([
    [5010, '5.01 s'],
    [3000, '3.00 s'],
    [48.21, '0.05 s'],
  ])('formats %i ms as %s', (ms, expected) => {
    expect(formatSeconds(ms)).toBe(expected);
  });
});

describe('toDedupKey', () => {
  it('joins the known parts and skips unknown or empty ones', () => {
    expect(toDedupKey('trigger-timeout', POOL, undefined, '', 'PreSignUp')).toBe(
      `trigger-timeout:${POOL}:PreSignUp`,
    );
  });
});
