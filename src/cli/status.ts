import { GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import type { ReleaseFilter } from '../release/index.ts';
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

/** The newest release records (of one service, environment or both), with the state of those still running. */
export async function readStatus(target: Target, options: ReleaseFilter & { now?: Date }): Promise<ReleaseStatus[]> {
  const { limit, service, environment } = options;
  const records = await target.releases.listReleases({ limit, service, environment });
  const now = (options.now ?? new Date()).getTime();
  return Promise.all(
    records.map(async (record) => ({
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
