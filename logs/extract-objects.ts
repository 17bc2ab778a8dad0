/**
 * Finds candidate object literals (`{...}` with balanced braces) inside a log line, such as the
 * JSON or `util.inspect` output after `Response: ` in `2024-05-01T12:00:00.000Z\t<id>\tINFO\tResponse: {...}`.
 *
 * One pass, linear in the length of the text: a stack of open braces, quote tracking only inside
 * braces (so an apostrophe in prose does not swallow the line), and a cap on how many spans are
 * returned. Pure; never throws.
 */

/** A `{...}` substring: `text.slice(start, end)`. */
export interface ObjectSpan {
  start: number;
  /** Exclusive. */
  end: number;
}

/** Default cap on spans returned per text: a line with more top-level objects is not a trigger log. */
export const MAX_OBJECT_SPANS = 32;

/**
 * Returns the outermost balanced `{...}` spans of `text[from, to)`, in order, at most `maxSpans`.
 * Quotes (`'`, `"`, `` ` ``) are honoured inside braces, with backslash escapes. A brace that
 * never closes is ignored, and objects after it are still found.
 */
export const findObjectSpans = (
  text: string,
  from = 0,
  to = text.length,
  maxSpans = MAX_OBJECT_SPANS,
): ObjectSpan[] => {
  const spans: ObjectSpan[] = [];
  const open: number[] = [];
  let quote = -1;
  let i = text.indexOf('{', from);
  if (i === -1 || i >= to) return spans;
  for (; i < to; i++) {
    const code = text.charCodeAt(i);
    if (quote !== -1) {
      if (code === 92) i++;
      else if (code === quote) quote = -1;
      continue;
    }
    if (code === 123) {
      open.push(i);
    } else if (code === 125) {
      const start = open.pop();
      if (start === undefined) continue;
      // Spans closed earlier that started after this one are nested inside it.
      while (spans.length > 0 && (spans[spans.length - 1] as ObjectSpan).start > start) spans.pop();
      spans.push({ start, end: i + 1 });
      if (open.length === 0) {
        if (spans.length >= maxSpans) break;
        const next = text.indexOf('{', i + 1);
        if (next === -1 || next >= to) break;
        i = next - 1;
      }
    } else if (open.length > 0 && (code === 39 || code === 34 || code === 96)) {
      quote = code;
    }
  }
  // Unclosed braces may leave nested spans of theirs; those are still outermost among what closed.
  return spans.length > maxSpans ? spans.slice(0, maxSpans) : spans;
};
