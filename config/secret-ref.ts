/**
 * Where a secret lives. Written in config as a string:
 * - `secretsmanager:<name-or-arn>` or `secretsmanager:<name-or-arn>#<jsonKey>` (a key of a JSON secret)
 * - `ssm:<parameter-name>` (a SecureString parameter, decrypted)
 * - `env:<VARIABLE>` (CLI use only; never for deployed functions)
 */
import * as z from 'zod';
import { lazySchema } from '../runtime/lazy-schema';

export const SECRET_STORES = ['secretsmanager', 'ssm', 'env'] as const;
export type SecretStore = (typeof SECRET_STORES)[number];

export interface SecretRef {
  store: SecretStore;
  /** Secret name or ARN, parameter name, or environment variable name. */
  name: string;
  /** For a Secrets Manager secret that holds JSON: the key to read. */
  jsonKey?: string;
}

const SECRET_REF_PATTERN = /^(secretsmanager|ssm|env):(.+)$/;

/** Parses `store:name[#key]`; returns an error message naming what is wrong. */
export const parseSecretRef = (text: string): SecretRef | { error: string } => {
  const match = SECRET_REF_PATTERN.exec(text.trim());
  if (!match) {
    // Never echo the whole value: a secret pasted here by mistake must not reach a log or an error.
    const colon = text.indexOf(':');
    const shown =
      colon > 0 && colon <= 20 ? `"${text.slice(0, colon)}:…"` : `a value of ${text.length} characters`;
    return { error: `${shown} is not a secret reference; expected secretsmanager:NAME, ssm:PATH or env:VAR` };
  }
  const store = match[1] as SecretStore;
  const rest = match[2] ?? '';
  if (store === 'secretsmanager') {
    // ARNs contain ':' but never '#', so '#' safely separates the JSON key.
    const hash = rest.lastIndexOf('#');
    const name = hash < 0 ? rest : rest.slice(0, hash);
    const jsonKey = hash < 0 ? undefined : rest.slice(hash + 1);
    if (name === '' || jsonKey === '') return { error: `"${text}": empty secret name or JSON key` };
    return { store, name, ...(jsonKey ? { jsonKey } : {}) };
  }
  if (store === 'env' && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(rest)) {
    return { error: `"${text}": "${rest}" is not an environment variable name` };
  }
  if (store === 'ssm' && !/^[\w./-]+$/.test(rest))
    return { error: `"${text}": "${rest}" is not an SSM parameter name` };
  return { store, name: rest };
};

/** Zod schema for a secret reference string in config. */
export const secretRefSchema = lazySchema(() =>
  z.string().transform((text, ctx): SecretRef => {
    const parsed = parseSecretRef(text);
    if ('error' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    }
    return parsed;
  }),
);

/** The reference written back as text, safe to log (it names a location, never a value). */
export const formatSecretRef = (ref: SecretRef): string =>
  `${ref.store}:${ref.name}${ref.jsonKey ? `#${ref.jsonKey}` : ''}`;
