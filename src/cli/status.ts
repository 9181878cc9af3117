import { GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { ReleaseRecord } from '../domain/release.ts';
import { targetKey } from '../domain/release-record.ts';
import { formatDuration, shortDigest, table } from './format.ts';
import { enteredState } from './history.ts';
import type { Target } from './target.ts';

export const statusUsage = `Usage: release status [--json] [--limit <n>] [--service <name>] [--environment <env>]

Lists recent releases, newest first: id, service, environment, image, state
(the step a running release is in, or DONE), outcome and duration.
  --json                machine-readable output
  --limit <n>           at most n releases (default 20)
  --service <name>      only this service's releases
  --environment <env>   only releases to this environment (with --service: one
                        target's releases, read from the table's byTarget index)`;

// The releases table's index by `service#environment`, sorted by startedAt (serverless.yml).
const BY_TARGET_INDEX = 'byTarget';

export interface StatusFilter {
  limit: number;
  service?: string;
  environment?: string;
}

export interface ReleaseStatus {
  id: string;
  service: string;
  environment: string;
  image: string;
  digest: string;
  state: string;
  outcome: string;
  reason?: string;
  startedAt: string;
  durationMs: number;
}

async function currentState(target: Target, executionArn: string): Promise<string> {
  try {
    const { events = [] } = await target.sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 50 }),
    );
    return events.map(enteredState).find((state) => state !== undefined) ?? 'RUNNING';
  } catch {
    return 'RUNNING';
  }
}

/** One target's newest records, newest first: a Query of the byTarget index, read no further than `limit`. */
async function queryTarget(target: Target, filter: StatusFilter & { service: string; environment: string }) {
  const records: ReleaseRecord[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await target.dynamodb.send(
      new QueryCommand({
        TableName: target.releasesTable,
        IndexName: BY_TARGET_INDEX,
        KeyConditionExpression: '#target = :target',
        ExpressionAttributeNames: { '#target': 'target' },
        ExpressionAttributeValues: { ':target': targetKey(filter) },
        ScanIndexForward: false,
        Limit: filter.limit - records.length,
        ExclusiveStartKey,
      }),
    );
    records.push(...((page.Items ?? []) as ReleaseRecord[]));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey && records.length < filter.limit);
  return records;
}

/** Every record (of the service or environment, when given), in no order: a Scan, every page of it. */
async function scanRecords(target: Target, filter: StatusFilter) {
  const conditions = (['service', 'environment'] as const).filter((field) => filter[field] !== undefined);
  const filterExpression =
    conditions.length === 0
      ? {}
      : {
          FilterExpression: conditions.map((field) => `#${field} = :${field}`).join(' AND '),
          ExpressionAttributeNames: Object.fromEntries(conditions.map((field) => [`#${field}`, field])),
          ExpressionAttributeValues: Object.fromEntries(conditions.map((field) => [`:${field}`, filter[field]])),
        };
  const records: ReleaseRecord[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await target.dynamodb.send(
      new ScanCommand({ TableName: target.releasesTable, ...filterExpression, ExclusiveStartKey }),
    );
    records.push(...((page.Items ?? []) as ReleaseRecord[]));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return records;
}

/** The newest release records (of one service, environment or both), with the state of those still running. */
export async function readStatus(target: Target, options: StatusFilter & { now?: Date }): Promise<ReleaseStatus[]> {
  const { service, environment } = options;
  const records =
    service !== undefined && environment !== undefined
      ? await queryTarget(target, { ...options, service, environment })
      : await scanRecords(target, options);
  const now = (options.now ?? new Date()).getTime();
  const newest = records.sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, options.limit);
  return Promise.all(
    newest.map(async (record) => ({
      id: record.releaseId,
      service: record.service,
      environment: record.environment,
      image: `${record.repository}:${record.tag}`,
      digest: record.digest,
      state: record.outcome === 'RUNNING' ? await currentState(target, record.executionId) : 'DONE',
      outcome: record.outcome,
      reason: record.reason,
      startedAt: record.startedAt,
      durationMs: (record.endedAt ? Date.parse(record.endedAt) : now) - Date.parse(record.startedAt),
    })),
  );
}

export function formatStatus(releases: ReleaseStatus[]): string {
  if (releases.length === 0) return 'no releases yet';
  return table(
    ['ID', 'SERVICE', 'ENV', 'IMAGE', 'DIGEST', 'STATE', 'OUTCOME', 'DURATION'],
    releases.map((r) => [
      r.id,
      r.service,
      r.environment,
      r.image,
      shortDigest(r.digest),
      r.state,
      r.outcome,
      formatDuration(r.durationMs),
    ]),
  );
}
