/**
 * The per-pool part of sentinel.config.yml: which user pool, its app clients, the canary user and
 * where its secrets live. Durations are in milliseconds unless the key says otherwise.
 */
import { z } from 'zod';
import { TRIGGERS } from '../../contracts/triggers';
import { secretRefSchema } from './secret-ref';

export const userPoolIdSchema = z
  .string()
  .regex(/^[\w-]+_[0-9A-Za-z]+$/, 'expected a user pool id such as us-east-1_AbC123');
export const regionSchema = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region such as us-east-1');

export const appClientConfigSchema = z.strictObject({
  clientId: z.string().regex(/^[a-z0-9]{1,128}$/i, 'expected an app client id'),
  /** Where the client secret lives, for clients that have one (SECRET_HASH is computed from it). */
  secret: secretRefSchema.optional(),
});

export const canaryUserConfigSchema = z.strictObject({
  /** The canary user's username (not a secret, but never printed in alerts). */
  username: z.string().min(1),
  /** Where the canary password lives: secretsmanager:NAME[#key] or ssm:PATH. */
  password: secretRefSchema,
});

export const poolConfigSchema = z.strictObject({
  /** A short name used in alert titles; defaults to the pool id. */
  name: z.string().min(1).optional(),
  userPoolId: userPoolIdSchema,
  region: regionSchema,
  clients: z.array(appClientConfigSchema).min(1, 'list at least one app client'),
  canary: canaryUserConfigSchema.optional(),
  /** Trigger log groups to read, and which trigger each serves. Discovered from LambdaConfig when omitted. */
  triggerLogGroups: z
    .record(z.string().startsWith('/', 'expected a log group name such as /aws/lambda/fn'), z.enum(TRIGGERS))
    .optional(),
});

export type AppClientConfig = z.infer<typeof appClientConfigSchema>;
export type PoolConfig = z.infer<typeof poolConfigSchema>;
