import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { awsCall } from '../../platform/aws-errors.ts';
import { TransientError } from '../../platform/errors.ts';
import type { KeptAnalysis } from '../kept-analyses.ts';
import type {
  ControlResult,
  CreateReleaseResult,
  EndReleaseResult,
  ReleaseEnding,
  ReleaseFilter,
  ReleaseStore,
  StoredRelease,
} from '../ports/release-store.ts';
import type { ControlRequest } from '../rollout-state.ts';
import { conditional } from './conditional-write.ts';
import { recordAnalysis } from './release-analyses.ts';
import { executionReleaseIds, listStoredReleases, parseStoredRelease } from './release-list.ts';
import { createLockOperations } from './release-locks.ts';

// Re-exported for the rotation lock, which writes the same way.
export { conditional } from './conditional-write.ts';

/** Where the store keeps its items. */
export interface DynamoReleaseStoreOptions {
  client: DynamoDBDocumentClient;
  releasesTable: string;
  locksTable: string;
}

// Fields a record keeps from the request that started it; finish writes them
// again (identical values) so that it can also create a record claim never wrote.
const IDENTITY_FIELDS = [
  'executionId',
  'target',
  'service',
  'environment',
  'trigger',
  'source',
  'repository',
  'tag',
  'digest',
  'image',
  'scan',
] as const satisfies readonly (keyof StoredRelease)[];

const ENDING_FIELDS = [
  'commitAt',
  'commitAtFrom',
  'outcome',
  'reason',
  'previousTaskDefinitionArn',
  'taskDefinitionArn',
  'serviceDeploymentArn',
  'analysis',
] as const satisfies readonly (keyof ReleaseEnding)[];

/** The release store on DynamoDB: ReleasesTable (pk releaseId) and LocksTable (pk lockKey). */
export function createDynamoReleaseStore(options: DynamoReleaseStoreOptions): ReleaseStore {
  const { client, releasesTable, locksTable } = options;

  const readRelease = async (releaseId: string): Promise<StoredRelease | undefined> => {
    const { Item } = await awsCall('DynamoDB GetItem', () =>
      client.send(new GetCommand({ TableName: releasesTable, Key: { releaseId }, ConsistentRead: true })),
    );
    return Item ? parseStoredRelease(Item, releasesTable) : undefined;
  };

  const locks = createLockOperations(client, locksTable);
  const { readLock } = locks;

  return {
    ...locks,

    async createRelease(record: StoredRelease): Promise<CreateReleaseResult> {
      const created = await conditional(() =>
        client.send(
          new PutCommand({
            TableName: releasesTable,
            Item: record,
            ConditionExpression: 'attribute_not_exists(releaseId)',
          }),
        ),
      );
      if (created) return { created: true };
      // The record's owner never changes once written, so reading it after the failed put is not a race.
      const existing = await readRelease(record.releaseId);
      // Only a record deleted in between gets here; trying again will create it.
      if (!existing) throw new TransientError(`release ${record.releaseId} vanished while being claimed`);
      return { created: false, existing };
    },

    readRelease,

    listReleases(filter: ReleaseFilter): Promise<StoredRelease[]> {
      return listStoredReleases(client, releasesTable, filter);
    },

    async listExecutionReleases(executionId: string): Promise<StoredRelease[]> {
      const ids = await executionReleaseIds(client, releasesTable, executionId);
      const records = await Promise.all(ids.map(readRelease));
      return records.filter((record) => record !== undefined);
    },

    recordAnalysis(releaseId: string, executionId: string, analysis: KeptAnalysis): Promise<boolean> {
      return recordAnalysis(client, releasesTable, releaseId, executionId, analysis);
    },

    async endRelease(record: StoredRelease, ending: ReleaseEnding): Promise<EndReleaseResult> {
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      const assignments: string[] = [];
      const set = (field: string, value: unknown, expression = (v: string) => v) => {
        if (value === undefined) return;
        names[`#${field}`] = field;
        values[`:${field}`] = value;
        assignments.push(`#${field} = ${expression(`:${field}`)}`);
      };
      for (const field of IDENTITY_FIELDS) set(field, record[field]);
      for (const field of ENDING_FIELDS) set(field, ending[field]);
      // The first start and end stand: a retried finish does not move them.
      set('startedAt', record.startedAt, (value) => `if_not_exists(#startedAt, ${value})`);
      set('endedAt', ending.endedAt, (value) => `if_not_exists(#endedAt, ${value})`);
      let endedBefore = false;
      const owned = await conditional(async () => {
        const { Attributes } = await client.send(
          new UpdateCommand({
            TableName: releasesTable,
            Key: { releaseId: record.releaseId },
            UpdateExpression: `SET ${assignments.join(', ')}`,
            ConditionExpression: 'attribute_not_exists(releaseId) OR #executionId = :executionId',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            // The end time as it was: there already when this is a retry.
            ReturnValues: 'UPDATED_OLD',
          }),
        );
        endedBefore = Attributes?.endedAt !== undefined;
      });
      if (!owned) return 'NOT_OWNED';
      return endedBefore ? 'ALREADY_ENDED' : 'ENDED';
    },

    async requestControl(lockKey: string, request: ControlRequest): Promise<ControlResult> {
      // An abort may still follow a promote: stopping is always allowed.
      const free = 'attribute_not_exists(#control) OR #control.releaseId <> :releaseId';
      const stored = await conditional(() =>
        client.send(
          new UpdateCommand({
            TableName: locksTable,
            Key: { lockKey },
            UpdateExpression: 'SET #control = :control',
            ConditionExpression: `holder = :releaseId AND expiresAt >= :now AND (${free}${request.action === 'abort' ? ' OR #control.#action = :promote' : ''})`,
            ExpressionAttributeNames: {
              '#control': 'control',
              ...(request.action === 'abort' ? { '#action': 'action' } : {}),
            },
            ExpressionAttributeValues: {
              ':control': request,
              ':releaseId': request.releaseId,
              ':now': request.requestedAt,
              ...(request.action === 'abort' ? { ':promote': 'promote' } : {}),
            },
          }),
        ),
      );
      if (!stored) {
        const lock = await readLock(lockKey);
        const running = lock?.holder?.releaseId === request.releaseId && lock.holder.expiresAt >= request.requestedAt;
        return running ? 'ALREADY_REQUESTED' : 'NO_RUNNING_RELEASE';
      }
      // The record says who asked; the lock is what the release reads.
      await conditional(() =>
        client.send(
          new UpdateCommand({
            TableName: releasesTable,
            Key: { releaseId: request.releaseId },
            UpdateExpression: 'SET #control = :control',
            ConditionExpression: 'attribute_exists(releaseId)',
            ExpressionAttributeNames: { '#control': 'control' },
            ExpressionAttributeValues: { ':control': request },
          }),
        ),
      );
      return 'ACCEPTED';
    },
  };
}
