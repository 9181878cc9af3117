import type { Context } from 'aws-lambda';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import { ALARM_METRICS, type AlarmMetricsPort, oldestRunning, type RunningExecution } from '../../src/release/index.ts';
import { wiredAlarmMetrics, wiredRunningReleases } from '../../src/release/wiring.ts';

type Running = (context: Context) => { stateMachine: string; list(): Promise<RunningExecution[]> };

/** `releaseWatch` (each minute): OldestRunningReleaseSeconds, the age of the oldest running release at the schedule's time. */
export function createReleaseWatchHandler(deps: { running: Running; metrics: AlarmMetricsPort } & Logged) {
  return lambdaHandler(deps.logger, async (event: { time?: string } | undefined, context: Context) => {
    const at = event?.time && !Number.isNaN(Date.parse(event.time)) ? new Date(event.time) : new Date();
    const running = deps.running(context);
    const { seconds, execution } = oldestRunning(await running.list(), at);
    const dimensions = { StateMachine: running.stateMachine };
    await deps.metrics.put([
      { metricName: ALARM_METRICS.oldestRunningRelease, dimensions, value: seconds, unit: 'Seconds', at },
    ]);
    deps.logger.debug('oldest running release', { seconds, execution: execution?.name });
    return { seconds, ...(execution ? { execution: execution.name } : {}) };
  });
}

export const wire = (wiring: Wiring) =>
  createReleaseWatchHandler({
    running: wiredRunningReleases(wiring),
    metrics: wiredAlarmMetrics(wiring),
    logger: functionLogger('releaseWatch', wiring.env),
  });

export const handler = lambdaEntry(wire);
