/**
 * A client secret's fingerprint: HMAC-SHA-256 of the secret under a per-deployment key. The audit
 * compares fingerprints to see a rotation; the secret itself is never stored, logged or paged, and
 * without the key a fingerprint cannot be checked against a guessed secret.
 */
import { createHmac, randomBytes } from 'node:crypto';

/** Marks a fingerprint in a snapshot (and says how it was made). */
export const FINGERPRINT_PREFIX = 'hmac-sha256:';

/** Bytes of a new key. */
const KEY_BYTES = 32;

/** A new random fingerprint key, base64. */
export const newFingerprintKey = (): string => randomBytes(KEY_BYTES).toString('base64');

/** `hmac-sha256:<first 32 hex digits>` of the secret under the key (base64). */
export const toSecretFingerprint = (secret: string, key: string): string =>
  `${FINGERPRINT_PREFIX}${createHmac('sha256', Buffer.from(key, 'base64')).update(secret, 'utf8').digest('hex').slice(0, 32)}`;
