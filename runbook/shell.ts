/**
 * Shell quoting for values that come from findings. Finding fields are copied from log lines, so a
 * value is untrusted until quoted: `$(...)`, backticks, `;` and spaces must reach the command as
 * literal text.
 */

// `=` may not lead: zsh expands a leading `=word` to a command path.
const SAFE_WORD = /^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+=:,./-]*$/;

/**
 * Quotes `value` for POSIX shells (bash, zsh, sh). Values made only of characters that are never
 * special are returned as they are, so common ids stay readable (`us-east-1_abc`,
 * `/aws/lambda/shop-presignup`).
 */
export const shellQuote = (value: string): string =>
  value !== '' && SAFE_WORD.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;

// Control characters would break the rendered step (and the terminal); an over-long value is not an
// id; a leading `-` would be read by the AWS CLI as an option, which quoting cannot prevent.
const UNUSABLE = /[\p{Cc}\u2028\u2029]/u;
const MAX_VALUE_LENGTH = 512;

/**
 * A finding value fit to paste into a command: present, printable, not a redaction marker. Anything
 * else is treated as unknown and the command shows a placeholder instead.
 */
export const isUsableValue = (value: string | undefined): value is string =>
  typeof value === 'string' &&
  value.trim() !== '' &&
  value.length <= MAX_VALUE_LENGTH &&
  !UNUSABLE.test(value) &&
  !value.startsWith('-') &&
  !value.includes('[redacted:');
