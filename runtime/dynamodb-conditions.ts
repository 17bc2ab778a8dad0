/**
 * The optimistic-concurrency conditions of the DynamoDB writes: an item is created only when its
 * key is free, and replaced only while it still holds the version that was read.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

/**
 * The condition of a put that creates the item under `key` (no `expectedVersion`), or replaces
 * the one whose numeric `version` attribute is still `expectedVersion`.
 */
export const versionCondition = (key: string, expectedVersion: number | undefined) =>
  expectedVersion === undefined
    ? { ConditionExpression: `attribute_not_exists(${key})` }
    : {
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':expected': { N: String(expectedVersion) } },
      };

/**
 * True when a write failed only because its condition did not hold (someone else wrote first).
 * By name as well, since a second copy of the SDK throws an instance of another class.
 */
export const isConditionFailed = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error as Error | undefined)?.name === 'ConditionalCheckFailedException';
