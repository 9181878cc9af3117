import { readFileSync } from 'node:fs';
import {
  DescribeServiceDeploymentsCommand,
  ECSClient,
  type ServiceDeployment,
  type ServiceRevisionSummary,
} from '@aws-sdk/client-ecs';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { analysisOf, serviceDeploymentArnIn, trafficSplitOf } from '../../../src/cli/canary-progress.ts';
import { resolveTarget } from '../../../src/cli/target.ts';
import { watchRelease } from '../../../src/cli/watch.ts';

// `release watch` on a canary release: each analysis's verdict and reason from
// the CanaryCheck states' outputs, wherever the state put canary-check's
// result, and the production split from DescribeServiceDeployments as it
// changes. The history is GetExecutionHistory's answer for such a release,
// from the fixture; the deployments are ECS's answers.

const fixture = (path: string) => JSON.parse(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8'));
const history: HistoryEvent[] = (
  fixture('stepfunctions/get-execution-history-canary.json') as { events: (HistoryEvent & { timestamp: string })[] }
).events.map((event) => ({ ...event, timestamp: new Date(event.timestamp) }));
const DEPLOYMENT = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/sandbox/shop/Qx7Kp2mN4vR8sT1wYz3b';
const paused = (fixture('ecs/describe-service-deployments-paused.json') as { serviceDeployments: ServiceDeployment[] })
  .serviceDeployments[0] as ServiceDeployment;
const weighted = (canary: number, stage = 'PRODUCTION_TRAFFIC_SHIFT'): ServiceDeployment => ({
  ...paused,
  lifecycleStage: stage as ServiceDeployment['lifecycleStage'],
  targetServiceRevision: { ...paused.targetServiceRevision, requestedProductionTrafficWeight: canary },
  sourceServiceRevisions: (paused.sourceServiceRevisions ?? []).map(
    (revision): ServiceRevisionSummary => ({ ...revision, requestedProductionTrafficWeight: 100 - canary }),
  ),
});

describe('canary progress in the execution history', () => {
  it("reads each CanaryCheck state's verdict, decision and reason, nested in the state data or not", () => {
    expect(history.map(analysisOf).filter(Boolean)).toEqual([
      {
        state: 'CanaryCheck',
        verdict: 'inconclusive',
        decision: 'wait',
        reason: 'error rate not judged: 42 canary and 380 baseline requests, fewer than 100 on a side',
        window: { start: '2026-11-21T12:01:00.000Z', end: '2026-11-21T12:02:00.000Z' },
        metrics: [
          {
            metric: 'errorRate',
            verdict: 'no-data',
            reason: 'error rate not judged: 42 canary and 380 baseline requests, fewer than 100 on a side',
          },
        ],
      },
      {
        state: 'CanaryCheckDuringBake',
        verdict: 'fail',
        decision: 'rollback',
        reason: 'error rate 29.6% vs 0.2% (37/125 vs 2/1130), Fisher p < 0.0001',
        window: { start: '2026-11-21T12:02:00.000Z', end: '2026-11-21T12:03:00.000Z' },
        metrics: [
          {
            metric: 'errorRate',
            verdict: 'fail',
            reason: 'error rate 29.6% vs 0.2% (37/125 vs 2/1130), Fisher p < 0.0001',
          },
        ],
      },
    ]);
  });

  it('ignores states of other names, entries, and outputs without a verdict', () => {
    const exited = (name: string, output: string): HistoryEvent => ({
      id: 1,
      timestamp: new Date(),
      type: 'TaskStateExited',
      stateExitedEventDetails: { name, output },
    });
    expect(analysisOf(exited('CanaryCheck', '{"release":{}}'))).toBeUndefined();
    expect(analysisOf(exited('CanaryCheck', 'not json'))).toBeUndefined();
    expect(
      analysisOf({
        id: 1,
        timestamp: new Date(),
        type: 'TaskStateEntered',
        stateEnteredEventDetails: { name: 'CanaryCheck' },
      }),
    ).toBe(undefined);
  });

  it('reads the analysis a CheckRollout made (its look said analyse), not the one it passes on', () => {
    const exited = (output: unknown): HistoryEvent => ({
      id: 1,
      timestamp: new Date(),
      type: 'TaskStateExited',
      stateExitedEventDetails: { name: 'CheckRollout', output: JSON.stringify(output) },
    });
    const analysis = {
      verdict: 'pass',
      decision: 'wait',
      reason: 'error rate 0.1% vs 0.1%',
      window: { start: '2026-11-21T12:01:00.000Z', end: '2026-11-21T12:02:00.000Z' },
      metrics: [],
      step: { history: { failures: 0 }, since: '2026-11-21T12:02:00.000Z', startedAt: '2026-11-21T12:01:00.000Z' },
    };
    const notice = { delivered: true, channel: 'C1', reason: 'posted' };
    expect(analysisOf(exited({ stability: { next: 'analyse' }, analysis, notice }))).toEqual({
      state: 'CheckRollout',
      verdict: 'pass',
      decision: 'wait',
      reason: 'error rate 0.1% vs 0.1%',
      window: analysis.window,
      metrics: [],
    });
    // A look that did not analyse carries the last analysis on: not a new one.
    expect(analysisOf(exited({ stability: { next: 'wait' }, analysis, notice }))).toBeUndefined();
  });

  it("finds the release's service deployment in a state's output", () => {
    expect(serviceDeploymentArnIn(history)).toBe(DEPLOYMENT);
    expect(serviceDeploymentArnIn(history.slice(0, 2))).toBeUndefined();
  });

  it('shows the production split of a native deployment, and nothing for a rolling one', () => {
    expect(trafficSplitOf(weighted(10))).toBe('production: new 10% · stable 90% (PRODUCTION_TRAFFIC_SHIFT)');
    expect(trafficSplitOf(weighted(0, 'CLEAN_UP'))).toBe('production: new 0% · stable 100% (CLEAN_UP)');
    expect(trafficSplitOf(paused)).toBeUndefined();
  });
});

describe('release watch on a canary release', () => {
  const sfn = mockClient(SFNClient);
  const ecs = mockClient(ECSClient);
  afterEach(() => {
    sfn.reset();
    ecs.reset();
  });

  it('prints the split each time it changes and every analysis with its reason', async () => {
    const executionArn = 'arn:aws:states:us-east-1:123456789012:execution:release-automation-dev-release:shop-1';
    const startDate = new Date('2026-11-21T12:00:00Z');
    sfn.on(GetExecutionHistoryCommand).resolves({ events: history });
    let polls = 0;
    sfn.on(DescribeExecutionCommand).callsFake(() => {
      polls++;
      return polls < 6
        ? { name: 'shop-1', status: 'RUNNING', startDate }
        : { name: 'shop-1', status: 'FAILED', startDate, stopDate: new Date('2026-11-21T12:03:00Z') };
    });
    // What ECS answers at each poll while the release runs: before the canary, at 10% twice, rolled back.
    const answers = [weighted(0, 'PRE_PRODUCTION_TRAFFIC_SHIFT'), weighted(10), weighted(10), weighted(0)];
    ecs
      .on(DescribeServiceDeploymentsCommand, { serviceDeploymentArns: [DEPLOYMENT] })
      .callsFake(() => ({ serviceDeployments: [answers.shift() ?? weighted(0)] }));
    const lines: string[] = [];
    const target = resolveTarget({ 'endpoint-url': 'http://127.0.0.1:1' }, {});
    const status = await watchRelease(target, executionArn, {
      timeoutSeconds: 60,
      pollMs: 1,
      print: (line) => lines.push(line),
    });

    expect(status).toBe('FAILED');
    const traffic = lines.filter((line) => line.includes('traffic')).map((line) => line.slice(line.indexOf('traffic')));
    expect(traffic).toEqual([
      'traffic production: new 0% · stable 100% (PRE_PRODUCTION_TRAFFIC_SHIFT)',
      'traffic production: new 10% · stable 90% (PRODUCTION_TRAFFIC_SHIFT)',
      'traffic production: new 0% · stable 100% (PRODUCTION_TRAFFIC_SHIFT)',
    ]);
    expect(lines.filter((line) => line.includes('analysis')).map((line) => line.trim())).toEqual([
      '1m 01s    analysis inconclusive → wait: error rate not judged: 42 canary and 380 baseline requests, fewer than 100 on a side',
      '2m 01s    analysis fail → rollback: error rate 29.6% vs 0.2% (37/125 vs 2/1130), Fisher p < 0.0001',
    ]);
  });
});
