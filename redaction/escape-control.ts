/**
 * Log content must not drive the reader's terminal, mail client or chat: every control character
 * that came from a log line (ESC, BEL, CSI 0x9b, carriage return, ...) is shown as a visible
 * escape (`\x1b`) in every text output. Line feed and tab stay where the format needs them.
 */

/** Options of {@link escapeControl}. */
export interface EscapeControlOptions {
  /** Keep line feeds and tabs (multi-line reports). Default true; false for one-line fields. */
  multiline?: boolean;
}

// C0 controls, DEL, C1 controls (0x80-0x9f, e.g. CSI 0x9b), and the Unicode line and paragraph separators.
const CONTROL = /[\p{Cc}\u2028\u2029]/gu;

const visible = (char: string): string => {
  const code = char.charCodeAt(0);
  return code > 0xff
    ? `\\u${code.toString(16).padStart(4, '0')}`
    : `\\x${code.toString(16).padStart(2, '0')}`;
};

/** `text` with its control characters replaced by visible escapes such as `\x1b`. */
export const escapeControl = (text: string, { multiline = true }: EscapeControlOptions = {}): string =>
  text.replace(CONTROL, (char) => (multiline && (char === '\n' || char === '\t') ? char : visible(char)));

/** A deep copy of `value` with every string passed through {@link escapeControl}. */
export const escapeControlDeep = <T>(value: T, options?: EscapeControlOptions): T => {
  if (typeof value === 'string') return escapeControl(value, options) as T;
  if (Array.isArray(value)) return value.map((item) => escapeControlDeep(item, options)) as T;
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = escapeControlDeep(item, options);
    return out as T;
  }
  return value;
};
