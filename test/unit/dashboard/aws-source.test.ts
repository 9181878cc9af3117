import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { createAwsDashboardSource } from '../../../src/dashboard/wiring.ts';
import type { ReleaseStore } from '../../../src/release/index.ts';
import { storedRelease } from './fixtures.ts';

// The dashboard's AWS source: alarms from DescribeAlarms (every page, metric and
// composite), states from the execution's history, the four keys from the records.

const cloudwatch = mockClient(CloudWatchClient);
const sfn = mockClient(SFNClient);
afterEach(() => {
  cloudwatch.reset();
  sfn.reset();
});

const releases = {
  listReleases: async () => [
    storedRelease({ outcome: 'SUCCEEDED', startedAt: '2026-12-06T08:00:00.000Z', endedAt: '2026-12-06T08:05:00.000Z' }),
  ],
  readRelease: async () => undefined,
} as unknown as ReleaseStore;

const source = () =>
  createAwsDashboardSource({
    releases,
    sfn: new SFNClient({ region: 'us-east-1' }),
    cloudwatch: new CloudWatchClient({ region: 'us-east-1' }),
    keys: { days: 30, failureWindowHours: 72 },
    now: () => new Date('2026-12-06T12:00:00.000Z'),
  });

describe('the dashboard AWS source', () => {
  it('lists every alarm DescribeAlarms returns, metric and composite, across pages, by name', async () => {
    cloudwatch
      .on(DescribeAlarmsCommand)
      .resolvesOnce({
        MetricAlarms: [{ AlarmName: 'z-5xx', StateValue: 'ALARM', StateReason: 'Threshold Crossed' }],
        NextToken: 'next',
      })
      .resolvesOnce({
        CompositeAlarms: [
          { AlarmName: 'a-release', StateValue: 'OK', StateUpdatedTimestamp: new Date('2026-12-06T08:00:00.000Z') },
        ],
      });
    expect(await source().listAlarms()).toEqual([
      { name: 'a-release', state: 'OK', updatedAt: '2026-12-06T08:00:00.000Z' },
      { name: 'z-5xx', state: 'ALARM', reason: 'Threshold Crossed' },
    ]);
  });

  it("reads the states an execution entered and when it stopped; none when it can't be read", async () => {
    sfn.on(DescribeExecutionCommand).resolves({ status: 'SUCCEEDED', stopDate: new Date('2026-12-06T08:00:09.000Z') });
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        { id: 1, type: 'ExecutionStarted', timestamp: new Date('2026-12-06T08:00:00.000Z') },
        {
          id: 2,
          type: 'TaskStateEntered',
          timestamp: new Date('2026-12-06T08:00:01.000Z'),
          stateEnteredEventDetails: { name: 'Plan' },
        },
      ],
    });
    expect(await source().readStates('arn')).toEqual({
      status: 'SUCCEEDED',
      states: [{ name: 'Plan', enteredAt: '2026-12-06T08:00:01.000Z' }],
      stoppedAt: '2026-12-06T08:00:09.000Z',
    });
    sfn.on(DescribeExecutionCommand).rejects(new Error('ExecutionDoesNotExist'));
    expect(await source().readStates('arn')).toBeUndefined();
  });

  it('computes the four keys from the release records', async () => {
    const keys = await source().fourKeys();
    expect(keys).toMatchObject({ available: true, days: 30, targets: [{ service: 'shop', deployments: 1 }] });
  });
});
