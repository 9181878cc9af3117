import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { awsCall } from '../../platform/aws-errors.ts';
import { conditional } from '../../release/wiring.ts';
import type { RotationLock, RotationLockResult } from '../ports/rotation-lock.ts';

// In the releases' LocksTable: release locks are `service#environment` (names
// without "/"), a rotation's is `rotation#<parameter>` (a name starting with
// "/"), so the two never share an item.
const lockKey = (parameter: string) => `rotation#${parameter}`;

/** The rotation lock on the LocksTable (pk lockKey), through a document client the caller owns. */
export function createDynamoRotationLock({
  client,
  locksTable,
}: {
  client: DynamoDBDocumentClient;
  locksTable: string;
}): RotationLock {
  return {
    async acquire(parameter, rotationId, { now, expiresAt }): Promise<RotationLockResult> {
      const acquired = await conditional(() =>
        client.send(
          new UpdateCommand({
            TableName: locksTable,
            Key: { lockKey: lockKey(parameter) },
            UpdateExpression: 'SET holder = :id, expiresAt = :expiresAt',
            ConditionExpression:
              '(attribute_not_exists(holder) OR expiresAt < :now OR holder = :id) AND (attribute_not_exists(lastRotationId) OR lastRotationId <> :id)',
            ExpressionAttributeValues: { ':id': rotationId, ':now': now, ':expiresAt': expiresAt },
          }),
        ),
      );
      if (acquired) return { status: 'ACQUIRED' };
      const { Item } = await awsCall('DynamoDB GetItem', () =>
        client.send(
          new GetCommand({ TableName: locksTable, Key: { lockKey: lockKey(parameter) }, ConsistentRead: true }),
        ),
      );
      if (Item?.lastRotationId === rotationId) return { status: 'COMPLETED' };
      return { status: 'BUSY', holder: String(Item?.holder ?? 'unknown'), expiresAt: String(Item?.expiresAt ?? '') };
    },

    renew(parameter, rotationId, expiresAt) {
      return conditional(() =>
        client.send(
          new UpdateCommand({
            TableName: locksTable,
            Key: { lockKey: lockKey(parameter) },
            UpdateExpression: 'SET expiresAt = :expiresAt',
            // Still this rotation's, even past its lease: no one else has taken it.
            ConditionExpression: 'holder = :id',
            ExpressionAttributeValues: { ':id': rotationId, ':expiresAt': expiresAt },
          }),
        ),
      );
    },

    async release(parameter, rotationId, { completed, at }) {
      // Not held by this rotation (any more): nothing to let go of, and nothing to remember.
      await conditional(() =>
        client.send(
          new UpdateCommand({
            TableName: locksTable,
            Key: { lockKey: lockKey(parameter) },
            UpdateExpression: completed
              ? 'REMOVE holder, expiresAt SET lastRotationId = :id, lastRotatedAt = :at'
              : 'REMOVE holder, expiresAt',
            ConditionExpression: 'holder = :id',
            ExpressionAttributeValues: completed ? { ':id': rotationId, ':at': at } : { ':id': rotationId },
          }),
        ),
      );
    },
  };
}
