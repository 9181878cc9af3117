import { type DynamoDBDocumentClient, GetCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { awsCall } from '../../platform/aws-errors.ts';
import type { LockLease, ReleaseStore, TargetLock, WaitingRelease } from '../ports/release-store.ts';
import type { ControlRequest } from '../rollout-state.ts';
import { controlRequestSchema } from '../schemas.ts';
import { conditional } from './conditional-write.ts';

// The per-target locks of the release store (LocksTable, pk lockKey): who
// holds a target, the newest push waiting for it, and a promote or abort asked
// of its holder. Every decision is a conditional write.

/** The lock operations of the release store. */
export type LockOperations = Pick<
  ReleaseStore,
  'registerWaiting' | 'acquireLock' | 'readLock' | 'releaseLock' | 'renewLock' | 'readControl'
>;

/** The lock operations on `locksTable`. */
export function createLockOperations(client: DynamoDBDocumentClient, locksTable: string): LockOperations {
  // One conditional write on a target's lock item: false when its condition does not hold.
  const updateIf = (lockKey: string, update: Omit<UpdateCommandInput, 'TableName' | 'Key'>): Promise<boolean> =>
    conditional(() => client.send(new UpdateCommand({ TableName: locksTable, Key: { lockKey }, ...update })));

  const readLock = async (lockKey: string): Promise<TargetLock | undefined> => {
    const { Item } = await awsCall('DynamoDB GetItem', () =>
      client.send(new GetCommand({ TableName: locksTable, Key: { lockKey }, ConsistentRead: true })),
    );
    return Item ? toTargetLock(Item) : undefined;
  };

  return {
    registerWaiting(lockKey: string, waiting: WaitingRelease, replacing?: string): Promise<boolean> {
      const newer = 'attribute_not_exists(latestOrder) OR latestOrder < :order';
      return updateIf(lockKey, {
        UpdateExpression: 'SET latestReleaseId = :releaseId, latestTag = :tag, latestAt = :at, latestOrder = :order',
        ConditionExpression: replacing === undefined ? newer : `${newer} OR latestOrder = :replacing`,
        ExpressionAttributeValues: {
          ':releaseId': waiting.releaseId,
          ':tag': waiting.tag,
          ':at': waiting.at,
          ':order': waiting.order,
          ...(replacing === undefined ? {} : { ':replacing': replacing }),
        },
      });
    },

    acquireLock(lockKey: string, lease: LockLease): Promise<boolean> {
      return updateIf(lockKey, {
        UpdateExpression:
          'SET holder = :releaseId, holderExecutionId = :executionId, holderTag = :tag, expiresAt = :expiresAt',
        ConditionExpression:
          '(attribute_not_exists(holder) OR expiresAt < :now OR holder = :releaseId) AND latestOrder = :order',
        ExpressionAttributeValues: {
          ':releaseId': lease.releaseId,
          ':executionId': lease.executionId,
          ':tag': lease.tag,
          ':expiresAt': lease.expiresAt,
          ':now': lease.now,
          ':order': lease.order,
        },
      });
    },

    readLock,

    releaseLock(lockKey: string, releaseId: string, executionId: string): Promise<boolean> {
      return updateIf(lockKey, {
        // The latest* fields stay: they keep ordering pushes that arrive later.
        UpdateExpression: 'REMOVE holder, holderExecutionId, holderTag, expiresAt, #control',
        ExpressionAttributeNames: { '#control': 'control' },
        ConditionExpression: 'holder = :releaseId AND holderExecutionId = :executionId',
        ExpressionAttributeValues: { ':releaseId': releaseId, ':executionId': executionId },
      });
    },

    renewLock(lockKey: string, releaseId: string, executionId: string, expiresAt: string): Promise<boolean> {
      return updateIf(lockKey, {
        UpdateExpression: 'SET expiresAt = :expiresAt',
        // Still this release's, even past its lease: no one else has taken it.
        ConditionExpression: 'holder = :releaseId AND holderExecutionId = :executionId',
        ExpressionAttributeValues: {
          ':releaseId': releaseId,
          ':executionId': executionId,
          ':expiresAt': expiresAt,
        },
      });
    },

    async readControl(lockKey: string, releaseId: string): Promise<ControlRequest | undefined> {
      const { Item } = await awsCall('DynamoDB GetItem', () =>
        client.send(
          new GetCommand({
            TableName: locksTable,
            Key: { lockKey },
            ConsistentRead: true,
            ProjectionExpression: '#control',
            ExpressionAttributeNames: { '#control': 'control' },
          }),
        ),
      );
      const parsed = controlRequestSchema.safeParse(Item?.control);
      return parsed.success && parsed.data.releaseId === releaseId ? parsed.data : undefined;
    },
  };
}

function toTargetLock(item: Record<string, unknown>): TargetLock {
  const text = (field: string) => (typeof item[field] === 'string' ? (item[field] as string) : undefined);
  const lock: TargetLock = { lockKey: String(item.lockKey) };
  const holder = text('holder');
  if (holder !== undefined) {
    lock.holder = {
      releaseId: holder,
      executionId: text('holderExecutionId') ?? '',
      tag: text('holderTag') ?? '',
      expiresAt: text('expiresAt') ?? '',
    };
  }
  const latestReleaseId = text('latestReleaseId');
  const latestOrder = text('latestOrder');
  if (latestReleaseId !== undefined && latestOrder !== undefined) {
    lock.latest = {
      releaseId: latestReleaseId,
      tag: text('latestTag') ?? '',
      at: text('latestAt') ?? '',
      order: latestOrder,
    };
  }
  return lock;
}
