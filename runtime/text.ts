/**
 * Small helpers several layers share: reading an unknown JSON value as an object, measuring UTF-8
 * size against byte limits (SNS 256 KB, PagerDuty 512 KB), and waiting. Cutting text is not here:
 * every cut goes through `redactThenClip` in redaction/, so a secret is never cut in half.
 */

/** The value as a plain object (not null, not an array), or `undefined`. */
export const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

/** Size of `text` in UTF-8 bytes. */
export const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Resolves after `ms` milliseconds (a global timer, so fake timers in tests control it). */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
