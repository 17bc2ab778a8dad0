/**
 * toTrigger runs for every logged event, each with a freshly parsed triggerSource string: work
 * counted, never timed.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toTrigger } from '../../contracts/triggers';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('toTrigger', () => {
  it('maps a run of one source with one memo lookup, however many events carry it', () => {
    // New string objects each time, as JSON.parse hands them over.
    const sources = Array.from(
      { length: 50 },
      () => JSON.parse('"TokenGeneration_Authentication"') as string,
    );
    toTrigger('PreSignUp_SignUp');
    const has = vi.spyOn(Map.prototype, 'has');
    const triggers = sources.map((source) => toTrigger(source));
    const lookups = has.mock.calls.length;
    vi.restoreAllMocks();
    expect(new Set(triggers)).toEqual(new Set(['PreTokenGeneration']));
    expect(lookups).toBeLessThanOrEqual(1);
    expect(toTrigger('PreSignUp_AdminCreateUser')).toBe('PreSignUp');
    expect(toTrigger('Nope_SignUp')).toBeUndefined();
    expect(toTrigger('TokenGeneration_Authentication')).toBe('PreTokenGeneration');
  });
});
