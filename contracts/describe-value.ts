/**
 * Describes a value for the `actual` side of a contract violation without leaking personal data:
 * only short literal-looking strings (`"true"`, `"no"`, `"CONFIRMED"`) and small numbers are
 * quoted; everything else is reduced to its JSON type and size.
 *
 * Pure: no I/O.
 */
import { isElided } from './elided';

const LITERAL_WORDS = /^(?:true|false|yes|no|null|undefined|nan)$/i;
const UPPER_TOKEN = /^[A-Z][A-Z0-9_]*$/;
// Short numbers only: a 6-digit verification code or a phone number must never be quoted.
const SHORT_NUMBER = /^-?\d{1,3}(?:\.\d)?$/;
const MAX_TOKEN_LENGTH = 24;

const isQuotable = (text: string): boolean =>
  LITERAL_WORDS.test(text) ||
  SHORT_NUMBER.test(text) ||
  (text.length <= MAX_TOKEN_LENGTH && UPPER_TOKEN.test(text));

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** Length in Unicode code points, the unit Cognito's message limits use. */
export const characterCount = (text: string): number => [...text].length;

/**
 * `string "true"` for short literal-ish strings (true/false/yes/no/null, numbers of at most 3
 * digits, UPPER_CASE tokens up to 24 characters), otherwise `string (N characters)`;
 * `empty string`, `number 1` (longer numbers: `number (N digits)`), `boolean true`, `null`,
 * `array (3 items)`, `object`, `empty object`, `undefined`, and `elided ([Object])` for a value
 * util.inspect elided.
 */
export const describeValue = (value: unknown): string => {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (isElided(value)) return `elided (${value.text})`;
  if (typeof value === 'string') {
    if (value === '') return 'empty string';
    return isQuotable(value)
      ? `string ${JSON.stringify(value)}`
      : `string (${plural(characterCount(value), 'character')})`;
  }
  if (typeof value === 'number') {
    const text = String(value);
    return SHORT_NUMBER.test(text) || !Number.isFinite(value)
      ? `number ${text}`
      : `number (${text.length} digits)`;
  }
  if (typeof value === 'boolean') return `boolean ${value}`;
  if (Array.isArray(value)) return `array (${plural(value.length, 'item')})`;
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'empty object' : 'object';
  return typeof value;
};
