import { type CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { fourKeys, releaseDeliveryRecords } from '../../insight/index.ts';
import type { ReleaseStore } from '../../release/index.ts';
import { keysView } from '../keys.ts';
import type { AlarmRow, DashboardSource, ExecutionStates, FourKeys } from '../ports/source.ts';

// The dashboard's source over AWS (or the sandbox, which answers the same
// calls): release records through the release feature's store, states from
// Step Functions' execution history, alarms from CloudWatch DescribeAlarms.

export interface AwsDashboardClients {
  releases: ReleaseStore;
  sfn: SFNClient;
  cloudwatch: CloudWatchClient;
  /** The four keys' window: the last `days`, and how long after a release a hotfix or rollback makes it failed. */
  keys: { days: number; failureWindowHours: number };
  now?: () => Date;
}

/** How long the four keys are reused: they read every record of the window, and change slowly. */
const KEYS_TTL_MS = 5_000;

const MAX_HISTORY_PAGES = 20;

export function createAwsDashboardSource(clients: AwsDashboardClients): DashboardSource {
  const { releases, sfn, cloudwatch } = clients;
  const now = clients.now ?? (() => new Date());
  const records = releaseDeliveryRecords(releases);
  let keys: { at: number; value: Promise<FourKeys> } | undefined;
  const readKeys = async (): Promise<FourKeys> => {
    const at = now();
    const since = new Date(at.getTime() - clients.keys.days * 86_400_000).toISOString();
    const targets = fourKeys(await records.list({ since }), clients.keys, at);
    return keysView(targets, clients.keys.days);
  };
  return {
    listReleases: (limit) => releases.listReleases({ limit }),
    readRelease: (releaseId) => releases.readRelease(releaseId),
    async readStates(executionArn) {
      try {
        const [execution, events] = await Promise.all([
          sfn.send(new DescribeExecutionCommand({ executionArn })),
          history(sfn, executionArn),
        ]);
        const states = events.flatMap((event) =>
          event.type?.endsWith('StateEntered') && event.stateEnteredEventDetails?.name && event.timestamp
            ? [{ name: event.stateEnteredEventDetails.name, enteredAt: event.timestamp.toISOString() }]
            : [],
        );
        const result: ExecutionStates = { status: execution.status ?? 'UNKNOWN', states };
        return execution.stopDate ? { ...result, stoppedAt: execution.stopDate.toISOString() } : result;
      } catch {
        // The release is shown without its states: its record, not its history, is the dashboard's subject.
        return undefined;
      }
    },
    async listAlarms() {
      const alarms: AlarmRow[] = [];
      let nextToken: string | undefined;
      do {
        const page = await cloudwatch.send(new DescribeAlarmsCommand({ NextToken: nextToken }));
        for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
          alarms.push({
            name: alarm.AlarmName ?? '',
            state: alarm.StateValue ?? 'UNKNOWN',
            ...(alarm.StateReason ? { reason: alarm.StateReason } : {}),
            ...(alarm.StateUpdatedTimestamp ? { updatedAt: alarm.StateUpdatedTimestamp.toISOString() } : {}),
          });
        }
        nextToken = page.NextToken;
      } while (nextToken);
      return alarms.sort((a, b) => a.name.localeCompare(b.name));
    },
    fourKeys() {
      const at = now().getTime();
      if (!keys || at - keys.at > KEYS_TTL_MS) {
        const value = readKeys();
        keys = { at, value };
        // A failed read is not kept: the next snapshot asks again.
        value.catch(() => {
          if (keys?.value === value) keys = undefined;
        });
      }
      return keys.value;
    },
  };
}

async function history(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken && ++pages < MAX_HISTORY_PAGES);
  return events;
}
