/**
 * Removes the canary's own secrets from text before it becomes evidence, a log line or an alert:
 * the password, the client secret, tokens, sessions, challenge answers and usernames the run
 * knows. The pattern-based `redact` of alerts/ cannot recognise these (moto, for one, answers a
 * failed refresh with the refresh token itself, a bare UUID, as the error message).
 */
import { type RedactionKind, redact, redactionMarker } from '../redaction/redact';

/** Values shorter than this are not scrubbed as literals: they would match ordinary words. */
export const MIN_SCRUBBED_LENGTH = 3;

export interface Scrubber {
  /** Registers a value to remove from everything scrubbed from now on. */
  add(value: string | undefined, kind: RedactionKind): void;
  /** The text with every registered value replaced by its marker, then `redact`ed. */
  scrub(text: string): string;
}

/** A scrubber with no values yet; one per canary target and run. */
export const createScrubber = (): Scrubber => {
  const values = new Map<string, RedactionKind>();
  let ordered: [string, RedactionKind][] = [];
  return {
    add(value, kind) {
      if (value === undefined || value.length < MIN_SCRUBBED_LENGTH || values.has(value)) return;
      values.set(value, kind);
      // Longest first, so a token that contains the username is removed whole.
      ordered = [...values.entries()].sort(([a], [b]) => b.length - a.length);
    },
    scrub(text) {
      let result = text;
      for (const [value, kind] of ordered) result = result.split(value).join(redactionMarker(kind));
      return redact(result);
    },
  };
};
