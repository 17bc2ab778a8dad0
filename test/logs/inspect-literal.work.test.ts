/**
 * Work the util.inspect reader does per elided value, counted (never timed): past util.inspect's
 * depth every nested value prints as `[Object]` or `[Array]`, and a logged response holds many.
 */
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Elided } from '../../contracts/elided';
import { parseInspectLiteral } from '../../logs/inspect-literal';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('parseInspectLiteral: elided values', () => {
  it('reads [Object] and [Array] without cutting or searching the text', () => {
    const nested = { a: { b: { c: { d: 1 } } }, list: { of: [[1, 2]] } };
    const text = inspect({ first: nested, second: nested }, { breakLength: Number.POSITIVE_INFINITY });
    expect(text).toContain('[Object]');
    expect(text).toContain('[Array]');
    const slice = vi.spyOn(String.prototype, 'slice');
    const includes = vi.spyOn(String.prototype, 'includes');
    const value = parseInspectLiteral(text) as Record<string, Record<string, Record<string, unknown>>>;
    const cuts = slice.mock.contexts.length;
    const searches = includes.mock.contexts.length;
    vi.restoreAllMocks();
    expect(value.first?.a?.b).toEqual(new Elided('[Object]'));
    expect(value.second?.list?.of).toEqual(new Elided('[Array]'));
    // One cut per key (first, a, b, list, of, twice): none for the four elided values.
    expect(cuts).toBe(10);
    expect(searches).toBe(0);
  });
});
