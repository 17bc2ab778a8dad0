import { describe, expect, it } from 'vitest';
import { errorChainOf, httpStatusOf, networkCodeOf } from '../../runtime/aws-error';

describe('errorChainOf', () => {
  it('lists the error and its causes, outermost first', () => {
    const inner = { name: 'Inner', code: 'ECONNRESET' };
    const outer = new Error('fetch failed', { cause: inner });
    expect(errorChainOf(outer)).toEqual([outer, inner]);
  });

  it('stops at maxLength on a cyclic chain', () => {
    const a: { name: string; cause?: unknown } = { name: 'A' };
    a.cause = { name: 'B', cause: a };
    expect(errorChainOf(a, 3).map((like) => like.name)).toEqual(['A', 'B', 'A']);
  });

  it('reads a thrown primitive as its message', () => {
    expect(errorChainOf('boom')).toEqual([{ message: 'boom' }]);
  });
});

describe('networkCodeOf', () => {
  it('finds a socket code in a cause', () => {
    expect(networkCodeOf(new Error('fetch failed', { cause: { code: 'UND_ERR_SOCKET' } }))).toBe(
      'UND_ERR_SOCKET',
    );
  });

  it('ignores codes that are not about the network, and causes past maxLength', () => {
    expect(networkCodeOf({ code: 'ERR_INVALID_ARG_TYPE' })).toBeUndefined();
    const deep = { cause: { cause: { code: 'ECONNREFUSED' } } };
    expect(networkCodeOf(deep, 2)).toBeUndefined();
    expect(networkCodeOf(deep, 3)).toBe('ECONNREFUSED');
  });
});

describe('httpStatusOf', () => {
  it("reads the SDK's $metadata and nothing else", () => {
    expect(httpStatusOf({ $metadata: { httpStatusCode: 503 } })).toBe(503);
    expect(httpStatusOf({ $metadata: { httpStatusCode: '503' } })).toBeUndefined();
    expect(httpStatusOf(new Error('no response'))).toBeUndefined();
  });
});
