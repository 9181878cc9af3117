import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { awsCall } from '../../platform/aws-errors.ts';
import { InvalidInputError, MalformedReleaseError } from '../../platform/errors.ts';
import type { ReleaseFilter, StoredRelease } from '../ports/release-store.ts';
import { targetKey } from '../record.ts';
import { storedReleaseSchema } from '../schemas.ts';

// The releases table's index by `service#environment`, sorted by startedAt (serverless.yml).
const BY_TARGET_INDEX = 'byTarget';
// Its index by the execution that created each record (keys only: readers read the record itself).
const BY_EXECUTION_INDEX = 'byExecution';

type Item = Record<string, unknown>;

/**
 * Parses an item of the releases table. A record that does not match fails the
 * read, naming it: a listing that silently left it out would show the wrong
 * "newest n", and a cast would hand on fields that are not there.
 */
export function parseStoredRelease(item: Item, releasesTable: string): StoredRelease {
  const parsed = storedReleaseSchema.safeParse(item);
  if (parsed.success) return parsed.data;
  const releaseId = typeof item.releaseId === 'string' ? item.releaseId : '(without releaseId)';
  const problems = parsed.error.issues
    .map((issue) => `${issue.path.join('.') || 'record'}: ${issue.message}`)
    .join('; ');
  throw new MalformedReleaseError(
    `release record ${releaseId} in ${releasesTable} does not match its schema (${problems})`,
    { cause: parsed.error },
  );
}

/** The newest records matching `filter`, newest first: one target is a Query of byTarget, anything else a Scan. */
export async function listStoredReleases(
  client: DynamoDBDocumentClient,
  releasesTable: string,
  filter: ReleaseFilter,
): Promise<StoredRelease[]> {
  if (!Number.isInteger(filter.limit) || filter.limit < 1) {
    throw new InvalidInputError(`a release listing's limit must be a positive whole number, got ${filter.limit}`);
  }
  const { service, environment } = filter;
  const items =
    service !== undefined && environment !== undefined
      ? await queryTarget(client, releasesTable, targetKey({ service, environment }), filter.limit)
      : await scanReleases(client, releasesTable, filter);
  const records = items.map((item) => parseStoredRelease(item, releasesTable));
  return records.sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, filter.limit);
}

/**
 * The ids of every record the execution created, in releaseId order. The index
 * is eventually consistent: it lists which records there are, and each is then
 * read from the table itself.
 */
export async function executionReleaseIds(
  client: DynamoDBDocumentClient,
  releasesTable: string,
  executionId: string,
): Promise<string[]> {
  const items = await queryPages(client, {
    TableName: releasesTable,
    IndexName: BY_EXECUTION_INDEX,
    KeyConditionExpression: 'executionId = :executionId',
    ExpressionAttributeValues: { ':executionId': executionId },
  });
  const ids = items.flatMap((item) => (typeof item.releaseId === 'string' ? [item.releaseId] : []));
  return ids.sort();
}

/** One target's newest items, newest first, read no further than `limit`. */
function queryTarget(client: DynamoDBDocumentClient, releasesTable: string, target: string, limit: number) {
  return queryPages(
    client,
    {
      TableName: releasesTable,
      IndexName: BY_TARGET_INDEX,
      KeyConditionExpression: '#target = :target',
      ExpressionAttributeNames: { '#target': 'target' },
      ExpressionAttributeValues: { ':target': target },
      ScanIndexForward: false,
    },
    limit,
  );
}

/**
 * Every page of a Query, or, given `limit`, pages until that many items: each
 * page then asks for no more than are still missing, so no read goes further
 * than the caller will look.
 */
async function queryPages(
  client: DynamoDBDocumentClient,
  query: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'>,
  limit?: number,
): Promise<Item[]> {
  const items: Item[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const pageLimit = limit === undefined ? {} : { Limit: limit - items.length };
    const page = await awsCall('DynamoDB Query', () =>
      client.send(new QueryCommand({ ...query, ...pageLimit, ExclusiveStartKey })),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey && (limit === undefined || items.length < limit));
  return items;
}

/** Every item of the service or environment (all of them when neither is given), in no order: every page of a Scan. */
async function scanReleases(client: DynamoDBDocumentClient, releasesTable: string, filter: ReleaseFilter) {
  const conditions = (['service', 'environment'] as const).filter((field) => filter[field] !== undefined);
  const filterExpression =
    conditions.length === 0
      ? {}
      : {
          FilterExpression: conditions.map((field) => `#${field} = :${field}`).join(' AND '),
          ExpressionAttributeNames: Object.fromEntries(conditions.map((field) => [`#${field}`, field])),
          ExpressionAttributeValues: Object.fromEntries(conditions.map((field) => [`:${field}`, filter[field]])),
        };
  const items: Item[] = [];
  let ExclusiveStartKey: Item | undefined;
  do {
    const page = await awsCall('DynamoDB Scan', () =>
      client.send(new ScanCommand({ TableName: releasesTable, ...filterExpression, ExclusiveStartKey })),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}
