/**
 * Planted secrets for the redaction property tests: generators of the values redaction must catch
 * (JWTs, JWE refresh tokens, emails, phone numbers, passwords/secrets/SECRET_HASH/tokens under
 * their keys in JSON, JSON-in-JSON, util.inspect and key=value text, personal data under its keys)
 * and findings with such values planted in any field. Each plant has a `needle` that must never
 * appear in any output.
 */
import { inspect } from 'node:util';
import fc from 'fast-check';
import type { Finding } from '../../detectors/types';
import { presignupFinding } from './findings';

const B64URL = /^[A-Za-z0-9_-]+$/;
const segment = (min: number, max: number) =>
  fc
    .string({
      unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
      minLength: min,
      maxLength: max,
    })
    .filter((text) => text === '' || B64URL.test(text));

/** A planted secret: `text` goes into a finding, `needle` must not appear in any output. */
export interface Plant {
  text: string;
  needle: string;
}

const jwt = fc
  .tuple(segment(10, 40), segment(2, 80), segment(0, 40))
  .map(([header, payload, signature]) => `eyJ${header}.${payload}.${signature}`)
  .map((token): Plant => ({ text: token, needle: token }));

const jwe = fc
  .tuple(segment(10, 40), segment(0, 30), segment(2, 20), segment(2, 80), segment(2, 20))
  .map((parts) => `eyJ${parts.join('.')}`)
  .map((token): Plant => ({ text: token, needle: token }));

const email = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,15}$/),
    fc.stringMatching(/^[a-z0-9]{1,10}$/),
    fc.stringMatching(/^[a-z]{2,6}$/),
  )
  .map(([local, domain, tld]): Plant => {
    const address = `${local}@${domain}.${tld}`;
    return { text: address, needle: address };
  });

const phone = fc
  .oneof(
    fc.stringMatching(/^\+[1-9][0-9]{7,13}$/),
    fc.stringMatching(/^\([2-9][0-9]{2}\) [0-9]{3}-[0-9]{4}$/),
    fc.stringMatching(/^[2-9][0-9]{2}-[0-9]{3}-[0-9]{4}$/),
    fc.stringMatching(/^[2-9][0-9]{2}\.[0-9]{3}\.[0-9]{4}$/),
  )
  .map((number): Plant => ({ text: number, needle: number }));

const SECRET_KEYS = [
  'password',
  'PASSWORD',
  'newPassword',
  'clientSecret',
  'SECRET_HASH',
  'RefreshToken',
  'refreshToken',
  'Session',
] as const;
// A distinctive alphanumeric core survives every encoding (JSON, inspect) unchanged, so it is the needle.
const core = fc.stringMatching(/^[A-Za-z0-9]{6}$/).map((random) => `Zq9${random}`);

const keyedPassword = fc
  .tuple(
    fc.constantFrom(...SECRET_KEYS),
    core,
    fc.string({ maxLength: 16 }),
    fc.stringMatching(/^[A-Za-z0-9!#$%*+./@^_~-]{0,12}$/),
    fc.constantFrom('json', 'json-in-json', 'inspect', 'key=value'),
  )
  .map(([key, needle, tail, plainTail, form]): Plant => {
    switch (form) {
      case 'json':
        return { text: JSON.stringify({ [key]: needle + tail }), needle };
      case 'json-in-json':
        return { text: JSON.stringify({ message: JSON.stringify({ [key]: needle + tail }) }), needle };
      case 'inspect':
        return { text: inspect({ request: { [key]: needle + tail } }), needle };
      default:
        return { text: `${key}=${needle}${plainTail}`, needle };
    }
  });

const personal = fc
  .tuple(
    fc.constantFrom('userName', 'username', 'cognito:username', 'given_name', 'family_name', 'name'),
    core,
  )
  .map(([key, needle]): Plant => ({ text: JSON.stringify({ [key]: needle }), needle }));

const AWS_KEY_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B64_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const fixed = (chars: string, length: number) =>
  fc.string({ unit: fc.constantFrom(...chars), minLength: length, maxLength: length });

// AWS access key ids under any key or none, and secret access keys under their keys or beside a key id.
const awsKeys = fc
  .tuple(
    fc.constantFrom('AKIA', 'ASIA'),
    fixed(AWS_KEY_CHARS, 16),
    // A secret key always mixes cases; the generator makes sure of it so the needle is a real one.
    fixed(B64_CHARS, 37).map((rest) => `aZ9${rest}`),
    fc.constantFrom('bare', 'json', 'inspect', 'pair', 'env', 'keyed-secret'),
  )
  .map(([prefix, body, secret, form]): Plant => {
    const id = `${prefix}${body}`;
    switch (form) {
      case 'json':
        return { text: JSON.stringify({ AccessKeyId: id, SecretAccessKey: secret }), needle: secret };
      case 'inspect':
        return { text: inspect({ credentials: { accessKeyId: id } }), needle: id };
      case 'pair':
        return { text: `${id} ${secret}`, needle: secret };
      case 'env':
        return { text: `AWS_ACCESS_KEY_ID=${id} AWS_SECRET_ACCESS_KEY=${secret}`, needle: secret };
      case 'keyed-secret':
        return { text: `{ secretAccessKey: '${secret}' }`, needle: secret };
      default:
        return { text: `key ${id} used`, needle: id };
    }
  });

export const plant = fc.oneof(jwt, jwe, email, phone, keyedPassword, personal, awsKeys);

export const FIELDS = [
  'title',
  'userPoolId',
  'clientId',
  'region',
  'triggerSource',
  'field',
  'expected',
  'actual',
  'functionName',
  'logGroup',
  'logStream',
  'requestId',
  'timestamp',
  'dedupKey',
  'runbook',
  'evidence',
] as const;

const BEFORE = ['', ' ', 'got ', '"', "'", ': ', '(', '[', '\t', '{ x: '] as const;
const AFTER = ['', ' ', '"', "'", ',', ')', ']', '.', '\n', ' failed'] as const;

export const plantedFinding = fc
  .array(fc.tuple(fc.constantFrom(...FIELDS), plant, fc.constantFrom(...BEFORE), fc.constantFrom(...AFTER)), {
    minLength: 1,
    maxLength: 4,
  })
  .map((plants) => {
    const finding: Record<string, unknown> = { ...presignupFinding() };
    for (const [field, secret, before, after] of plants) {
      const text = `${before}${secret.text}${after}`;
      if (field === 'evidence') finding.evidence = [...(finding.evidence as string[]), `context ${text}`];
      else finding[field] = `${String(finding[field] ?? '')} ${text}`;
    }
    return { finding: finding as unknown as Finding, needles: plants.map(([, secret]) => secret.needle) };
  });
