/**
 * The alert destinations part of sentinel.config.yml.
 */
import { z } from 'zod';
import { secretRefSchema } from './secret-ref';

export const snsTopicArnSchema = z
  .string()
  .regex(/^arn:aws[\w-]*:sns:[\w-]+:\d{12}:[\w-]+$/, 'expected an SNS topic ARN');

export const alertsConfigSchema = z.strictObject({
  /** Topic for the plain-text report (email subscribers, filter policies on severity/detector/pool). */
  snsTopicArn: snsTopicArnSchema.optional(),
  pagerDuty: z
    .strictObject({
      /** Where the Events API v2 routing key lives. */
      routingKey: secretRefSchema,
    })
    .optional(),
});

export type AlertsConfig = z.infer<typeof alertsConfigSchema>;
