import { GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { ReleaseRecord } from '../domain/release.ts';
import { formatDuration, shortDigest, table } from './format.ts';
import { enteredState } from './history.ts';
import type { Target } from './target.ts';

export const statusUsage = `Usage: release status [--json] [--limit <n>] [--service <name>]

Lists recent releases, newest first: id, service, environment, image, state
(the step a running release is in, or DONE), outcome and duration.
  --json            machine-readable output
  --limit <n>       at most n releases (default 20)
  --service <name>  only this service's releases`;

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

/** The newest release records, with the state of those still running. */
export async function readStatus(
  target: Target,
  options: { limit: number; service?: string; now?: Date },
): Promise<ReleaseStatus[]> {
  const records: ReleaseRecord[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await target.dynamodb.send(new ScanCommand({ TableName: target.releasesTable, ExclusiveStartKey }));
    records.push(...((page.Items ?? []) as ReleaseRecord[]));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  const now = (options.now ?? new Date()).getTime();
  const newest = records
    .filter((record) => options.service === undefined || record.service === options.service)
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
    .slice(0, options.limit);
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
