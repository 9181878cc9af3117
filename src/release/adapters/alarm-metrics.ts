import type { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchClient, PutMetricDataCommand, type StandardUnit } from '@aws-sdk/client-cloudwatch';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { awsCall } from '../../platform/aws-errors.ts';
import { loadConfig } from '../../platform/config.ts';
import { stateMachineArn } from '../../platform/state-machine-arn.ts';
import type { Wiring } from '../../platform/wiring.ts';
import {
  type AlarmMetricsPort,
  DEFAULT_METRICS_NAMESPACE,
  type RunningExecution,
  releaseEndedDatum,
} from '../alarms.ts';
import type { EndedRelease } from '../finish.ts';

// The alarms' metrics go to CloudWatch by PutMetricData (not EMF): they are
// few, and an alarm must see them wherever the function runs, the sandbox
// included. The namespace is the stack's (POWERTOOLS_METRICS_NAMESPACE);
// the function's role may put metrics in that namespace only.

/** PutMetricData in `namespace`. */
export function createAlarmMetrics(client: CloudWatchClient, namespace: string): AlarmMetricsPort {
  return {
    async put(data) {
      if (data.length === 0) return;
      await awsCall('PutMetricData', () =>
        client.send(
          new PutMetricDataCommand({
            Namespace: namespace,
            MetricData: data.map((datum) => ({
              MetricName: datum.metricName,
              Dimensions: Object.entries(datum.dimensions).map(([Name, Value]) => ({ Name, Value })),
              Value: datum.value,
              Unit: datum.unit as StandardUnit,
              ...(datum.at ? { Timestamp: datum.at } : {}),
            })),
          }),
        ),
      );
    },
  };
}

/** The alarms' metrics as the `wiring` reaches CloudWatch. */
export function wiredAlarmMetrics(wiring: Wiring): AlarmMetricsPort {
  const { metricsNamespace } = loadConfig(wiring.env, ['metricsNamespace']);
  return createAlarmMetrics(new CloudWatchClient(wiring.aws), metricsNamespace ?? DEFAULT_METRICS_NAMESPACE);
}

/**
 * finish's observer for the stale-release alarms: ReleasesSucceeded at each
 * SUCCEEDED release. A failure to publish is logged, never fails the finish
 * (the release has ended either way).
 */
export function releaseAlarmMetrics(
  metrics: AlarmMetricsPort,
  logger: Pick<Logger, 'warn'>,
): (ended: EndedRelease) => Promise<void> {
  return async (ended) => {
    const datum = releaseEndedDatum(ended);
    if (!datum) return;
    await metrics.put([datum]).catch((error: unknown) => {
      logger.warn('release metric not published', { metric: datum.metricName, error: String(error) });
    });
  };
}

/** The RUNNING executions of the release state machine (ListExecutions, every page). */
export function wiredRunningReleases(
  wiring: Wiring,
): (context: Context) => { stateMachine: string; list(): Promise<RunningExecution[]> } {
  const { releaseStateMachineName } = loadConfig(wiring.env, ['releaseStateMachineName']);
  const sfn = new SFNClient(wiring.aws);
  return (context) => {
    const arn = stateMachineArn(context.invokedFunctionArn, releaseStateMachineName);
    return {
      stateMachine: releaseStateMachineName,
      async list() {
        const running: RunningExecution[] = [];
        let nextToken: string | undefined;
        do {
          const token = nextToken;
          const page = await awsCall('ListExecutions', () =>
            sfn.send(
              new ListExecutionsCommand({
                stateMachineArn: arn,
                statusFilter: 'RUNNING',
                maxResults: 1000,
                nextToken: token,
              }),
            ),
          );
          for (const execution of page.executions ?? []) {
            if (execution.name && execution.startDate)
              running.push({ name: execution.name, startDate: execution.startDate });
          }
          nextToken = page.nextToken;
        } while (nextToken);
        return running;
      },
    };
  };
}
