import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { awsCall } from '../../platform/aws-errors.ts';
import type { ReconcileMark } from '../ports/reconcile-mark.ts';

// The mark lives in the locks table, under a key no target can have (target
// keys are `service#environment` of catalog names, which take no uppercase):
// like a lock it is operational state, not part of the audit ledger the
// releases table is (listed by `release status`, kept for years), and losing
// it only makes the next run a first run again (see reconcile.ts).
const MARK_KEY = 'RECONCILER#pushes';

/** The reconciler's mark in the locks table through `client` (whose owner destroys it). */
export function createReconcileMark(locksTable: string, client = new DynamoDBClient({})): ReconcileMark {
  const documents = DynamoDBDocumentClient.from(client);
  return {
    async read() {
      const output = await awsCall('GetItem', () =>
        documents.send(new GetCommand({ TableName: locksTable, Key: { lockKey: MARK_KEY }, ConsistentRead: true })),
      );
      const { reconciledUntil: until, ranAt } = output.Item ?? {};
      return typeof until === 'string' && typeof ranAt === 'string' ? { until, ranAt } : undefined;
    },
    async write({ until, ranAt }) {
      try {
        await awsCall('UpdateItem', () =>
          documents.send(
            new UpdateCommand({
              TableName: locksTable,
              Key: { lockKey: MARK_KEY },
              UpdateExpression: 'SET reconciledUntil = :until, ranAt = :ranAt',
              // Two runs at once (a retried schedule) never move it back; ISO instants order as strings.
              ConditionExpression: 'attribute_not_exists(reconciledUntil) OR reconciledUntil < :until',
              ExpressionAttributeValues: { ':until': until, ':ranAt': ranAt },
            }),
          ),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
  };
}
