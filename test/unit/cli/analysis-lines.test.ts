import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { printLogs } from '../../../src/cli/logs.ts';
import { resolveTarget, type Target } from '../../../src/cli/target.ts';
import { watchRelease } from '../../../src/cli/watch.ts';
import type { StoredRelease } from '../../../src/release/ports/release-store.ts';
import { analysisAt } from '../../fixtures/release/kept-analysis.ts';

// `release watch` prints each analysis's figures as it happens (from the
// CanaryCheck state's output); `release logs` prints those the release record keeps.

const sfn = mockClient(SFNClient);
afterEach(() => sfn.reset());

const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:release-automation-dev-release:shop-2';
const startDate = new Date('2026-12-06T10:00:00Z');
const exited = (minute: number): HistoryEvent => ({
  id: minute,
  timestamp: new Date(startDate.getTime() + minute * 60_000),
  type: 'TaskStateExited',
  stateExitedEventDetails: { name: 'CanaryCheck', output: JSON.stringify({ analysis: analysisAt(minute) }) },
});

function target(records: StoredRelease[]): Target {
  const resolved = resolveTarget({ 'endpoint-url': 'http://127.0.0.1:1' }, {});
  return { ...resolved, releases: { ...resolved.releases, listExecutionReleases: async () => records } };
}

describe('analysis figures in the CLI', () => {
  it('release watch: a figures line after each analysis that has figures', async () => {
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [exited(1), exited(2)] });
    sfn.on(DescribeExecutionCommand).resolves({ name: 'shop-2', status: 'SUCCEEDED', startDate, stopDate: startDate });
    const lines: string[] = [];
    await watchRelease(target([]), EXECUTION, { timeoutSeconds: 5, pollMs: 1, print: (line) => lines.push(line) });
    expect(lines.filter((line) => line.includes('error-rate')).map((line) => line.trim())).toEqual([
      '1m 00s      10:01:00 pass → wait · error-rate 3/600 0.5% vs 27/5400 0.5% p=0.52 pass · latency p50 21 vs 20 ms pass',
      '2m 00s      10:02:00 pass → wait · error-rate 3/600 0.5% vs 27/5400 0.5% p=0.52 pass · latency p50 21 vs 20 ms pass',
    ]);
  });

  it('release logs: the analyses the record keeps, saying when older ones were dropped', async () => {
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });
    sfn.on(DescribeExecutionCommand).resolves({ name: 'shop-2', status: 'SUCCEEDED', startDate });
    const record = { releaseId: 'shop-staging-2', analyses: [analysisAt(7), analysisAt(8)], analysesRecorded: 8 };
    const lines: string[] = [];
    await printLogs(target([record as StoredRelease]), EXECUTION, (line) => lines.push(line));
    expect(lines.slice(1)).toEqual([
      'analyses of shop-staging-2 (the newest 2 of 8):',
      '  10:07:00 pass → wait · error-rate 3/600 0.5% vs 27/5400 0.5% p=0.52 pass · latency p50 21 vs 20 ms pass',
      '  10:08:00 pass → wait · error-rate 3/600 0.5% vs 27/5400 0.5% p=0.52 pass · latency p50 21 vs 20 ms pass',
    ]);
  });

  it('release logs: the history alone when the records cannot be read', async () => {
    sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });
    sfn.on(DescribeExecutionCommand).resolves({ name: 'shop-2', status: 'SUCCEEDED', startDate });
    const resolved = resolveTarget({ 'endpoint-url': 'http://127.0.0.1:1' }, {});
    const broken: Target = {
      ...resolved,
      releases: { ...resolved.releases, listExecutionReleases: () => Promise.reject(new TypeError('no table')) },
    };
    const lines: string[] = [];
    await printLogs(broken, EXECUTION, (line) => lines.push(line));
    expect(lines).toEqual(['release shop-2: SUCCEEDED', 'analyses: the release records could not be read (TypeError)']);
  });
});
