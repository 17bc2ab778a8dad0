/**
 * TOTP codes for the canary user's software-token MFA (RFC 6238, through the `otpauth` library):
 * 6 digits, SHA-1, 30-second steps, the parameters Cognito's AssociateSoftwareToken seeds use.
 *
 * Cognito refuses a code that was already used, so a code is never handed out twice for the same
 * seed inside one step: a second sign-in in the same step waits for the next one (the caller
 * sleeps `waitMs`, then asks again).
 */
import { Secret, TOTP } from 'otpauth';

/** Length of one TOTP step in seconds (RFC 6238's default, and Cognito's). */
export const TOTP_PERIOD_SECONDS = 30;

/** Hash algorithms RFC 6238 defines. */
export const TOTP_ALGORITHMS = ['SHA1', 'SHA256', 'SHA512'] as const;
export type TotpAlgorithm = (typeof TOTP_ALGORITHMS)[number];

export interface TotpOptions {
  /** Digits of the code. Default 6 (Cognito). */
  digits?: number;
  /** Default SHA1 (Cognito). */
  algorithm?: TotpAlgorithm;
  /** Step length in seconds. Default 30. */
  periodSeconds?: number;
}

/** The seed is not base32, so no code can be computed from it. */
export class TotpSeedError extends Error {
  override readonly name = 'TotpSeedError';
}

const toTotp = (seedBase32: string, options: TotpOptions): TOTP => {
  let secret: Secret;
  try {
    secret = Secret.fromBase32(seedBase32.replace(/\s+/g, '').toUpperCase());
  } catch (error) {
    // Never quote the seed: it is the canary user's second factor.
    throw new TotpSeedError('the TOTP seed is not base32 (the SecretCode AssociateSoftwareToken returns)', {
      cause: error,
    });
  }
  return new TOTP({
    secret,
    digits: options.digits ?? 6,
    algorithm: options.algorithm ?? 'SHA1',
    period: options.periodSeconds ?? TOTP_PERIOD_SECONDS,
  });
};

/** The TOTP code of a base32 seed at a wall-clock time (epoch ms). */
export const toTotpCode = (seedBase32: string, epochMs: number, options: TotpOptions = {}): string =>
  toTotp(seedBase32, options).generate({ timestamp: epochMs });

/** The step counter of a wall-clock time (epoch ms). */
export const toTotpStep = (epochMs: number, periodSeconds = TOTP_PERIOD_SECONDS): number =>
  Math.floor(epochMs / 1000 / periodSeconds);

/** A code to send now, or how long to wait before one that was not sent yet exists. */
export type TotpTake = { code: string; step: number } | { waitMs: number };

/** Hands out TOTP codes, never the same step twice per seed key (one per container). */
export interface TotpCodes {
  /**
   * The current code for `key` (pool + username), or the wait until the next step when this
   * step's code was already taken.
   */
  take(key: string, seedBase32: string, epochMs: number): TotpTake;
}

export const createTotpCodes = (options: TotpOptions = {}): TotpCodes => {
  const periodSeconds = options.periodSeconds ?? TOTP_PERIOD_SECONDS;
  const lastStep = new Map<string, number>();
  return {
    take(key, seedBase32, epochMs) {
      const step = toTotpStep(epochMs, periodSeconds);
      const used = lastStep.get(key);
      if (used !== undefined && step <= used) {
        return { waitMs: (used + 1) * periodSeconds * 1000 - epochMs };
      }
      const code = toTotpCode(seedBase32, epochMs, options);
      lastStep.set(key, step);
      return { code, step };
    },
  };
};
