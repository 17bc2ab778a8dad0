import { describe, expect, it } from 'vitest';
import { classifyError, toCanaryError } from '../../canary/call-error';
import { createScrubber } from '../../canary/scrub';

describe('classifyError', () => {
  const withStatus = (name: string, status?: number) =>
    Object.assign(new Error('x'), {
      name,
      ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }),
    });

  it.each([
    ['TooManyRequestsException 400', withStatus('TooManyRequestsException', 400), 'throttled', true],
    ['any 429', withStatus('Whatever', 429), 'throttled', true],
    ['InternalErrorException 500', withStatus('InternalErrorException', 500), 'service', true],
    ['NotAuthorizedException 400', withStatus('NotAuthorizedException', 400), 'service', false],
    ['ECONNRESET', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'network', true],
    [
      'fetch failed (code in the cause)',
      new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }),
      'network',
      true,
    ],
    ['TimeoutError without a response', withStatus('TimeoutError'), 'network', true],
    ['a string', 'boom', 'service', false],
  ] as const)('classifies %s', (_name, error, kind, retryable) => {
    expect(classifyError(error)).toMatchObject({ kind, retryable });
  });

  it('names a network error by its code and drops the SDK deserialisation hint from the message', () => {
    const scrubber = createScrubber();
    expect(
      toCanaryError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 3, scrubber),
    ).toEqual({
      name: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED',
      kind: 'network',
      attempts: 3,
    });
    const deserialisation = Object.assign(
      new SyntaxError(
        `Unexpected token '<'\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response`,
      ),
      { $metadata: { httpStatusCode: 500 } },
    );
    expect(toCanaryError(deserialisation, 1, scrubber)).toMatchObject({
      message: "Unexpected token '<'",
      httpStatus: 500,
    });
  });
});
