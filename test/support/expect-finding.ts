import { expect } from 'vitest';
import type { Finding } from '../../detectors/types';

/** Asserts that `findings` holds exactly one finding and that it matches `expected` (as `toMatchObject`). */
export const expectOneFinding = (findings: readonly Finding[], expected: Record<string, unknown>): void => {
  expect(findings).toHaveLength(1);
  expect(findings[0]).toMatchObject(expected);
};
