import { type DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { conditional } from '../../release/wiring.ts';
import type { LedgerEvent } from '../ledger.ts';
import type { LedgerFilter, LedgerStore } from '../ports/ledger.ts';

/**
 * The ledger over the audit table (serverless.yml AuditTable: `target`, `key`):
 * every write is a put on the condition that the key is new, so nothing is
 * overwritten, and a retry's duplicate is one event.
 */
export function createDynamoLedgerStore(client: DynamoDBDocumentClient, auditTable: string): LedgerStore {
  return {
    append: (event: LedgerEvent) =>
      conditional(() =>
        client.send(
          new PutCommand({
            TableName: auditTable,
            Item: event,
            ConditionExpression: 'attribute_not_exists(#key)',
            ExpressionAttributeNames: { '#key': 'key' },
          }),
        ),
      ),
    async list(filter: LedgerFilter) {
      const events: LedgerEvent[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: auditTable,
            ConsistentRead: true,
            FilterExpression: '#at >= :since',
            ExpressionAttributeNames: { '#at': 'at' },
            ExpressionAttributeValues: { ':since': filter.since },
            ExclusiveStartKey,
          }),
        );
        events.push(...((page.Items ?? []) as LedgerEvent[]));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return events
        .filter((event) => filter.service === undefined || event.service === filter.service)
        .filter((event) => filter.environment === undefined || event.environment === filter.environment)
        .sort((a, b) => a.at.localeCompare(b.at) || a.key.localeCompare(b.key));
    },
  };
}
