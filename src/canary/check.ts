import type * as z from 'zod';
import { CanaryCheckFailedError, InvalidInputError, TransientError } from '../platform/errors.ts';
import { errorText } from '../platform/message-text.ts';
import type { canaryCheckRequestSchema, canaryCheckResultSchema } from './check-schema.ts';
import { decideAfterAnalysis, NO_HISTORY } from './decision.ts';
import { judgeCanary } from './judgement.ts';
import type { CustomMetricPolicy } from './policy.ts';
import type { CanaryMetrics, CanaryMetricsQuery, Dimension, MetricsPort } from './ports/metrics.ts';

/**
 * The analysis window: given; or the last `seconds` up to now; or everything `since` a time up
 * to now, which grows with each analysis, so that metrics with one datapoint a minute (ALB's)
 * gather enough periods for the rank tests. With `baselineBefore`, all production traffic is on
 * the canary: the baseline target group is read over a window as long, ending then (before the
 * release began, when it served all of production with the stable revision).
 */
export type AnalysisWindow =
  | { start: Date; end: Date }
  | { seconds: number }
  | { since: Date }
  | { since: Date; baselineBefore: Date };

/** One analysis of a canary step (canaryCheckStep's input, parsed: times as Dates, the period defaulted). */
export type CanaryCheckRequest = z.output<typeof canaryCheckRequestSchema>;

/** The analysis's outcome: each metric's figures, never its datapoints, so small enough for Step Functions state data. */
export type CanaryCheckResult = z.output<typeof canaryCheckResultSchema>;

/** What a canary check uses: the metrics and the clock. */
export interface CanaryCheckPorts {
  metrics: MetricsPort;
  now: () => Date;
}

// In a custom metric's dimension values, the side being read: an application
// publishes its metric per target group (or the catalog names a dimension that
// differs by side) so canary and baseline read different series.
const TARGET_GROUP = '{{targetGroup}}';

/**
 * Reads both target groups' metrics over one window, judges the canary against
 * the baseline and decides what the step does next.
 */
export async function checkCanary(
  request: CanaryCheckRequest,
  { metrics, now }: CanaryCheckPorts,
): Promise<CanaryCheckResult> {
  const { start, end } = resolveWindow(request.window, now());
  const baselineWindow =
    'baselineBefore' in request.window ? before(request.window.baselineBefore, start, end) : undefined;
  const historyWindow = historyBefore(baselineWindow?.start ?? start);
  const query: CanaryMetricsQuery = {
    loadBalancer: request.loadBalancer,
    targetGroups: { canary: request.canaryTargetGroup, baseline: request.baselineTargetGroup },
    start,
    end,
    ...(baselineWindow === undefined ? {} : { baselineWindow }),
    historyWindow,
    periodSeconds: request.periodSeconds,
    custom: request.policy.metrics.custom.map((metric) => customQuery(metric, request)),
  };
  let readings: CanaryMetrics;
  try {
    readings = await metrics.readCanaryMetrics(query);
  } catch (error) {
    if (error instanceof TransientError) throw error;
    throw new CanaryCheckFailedError(`reading the canary's metrics failed: ${errorText(error)}`, { cause: error });
  }
  const judged = judgeCanary(readings, request.policy, baselineWindow === undefined ? 'shared' : 'shifted');
  const judgement =
    baselineWindow === undefined
      ? judged
      : {
          ...judged,
          reason: `all traffic on the new revision, against the stable revision before the release: ${judged.reason}`,
        };
  const paused = request.rolloutStatus === 'PAUSED';
  const { decision, history } = decideAfterAnalysis(judgement.verdict, request.history ?? NO_HISTORY, request.policy, {
    paused,
  });
  const release = { analyses: (request.release?.analyses ?? 0) + 1 };
  const window = {
    start: start.toISOString(),
    end: end.toISOString(),
    ...(baselineWindow === undefined
      ? {}
      : { baseline: { start: baselineWindow.start.toISOString(), end: baselineWindow.end.toISOString() } }),
  };
  return {
    ...judgement,
    reason: withDecision(judgement.reason, decision, history, request.policy),
    decision,
    history,
    release,
    window,
  };
}

// The stable revision's latency noise is read over the hour before the
// baseline's window: long enough that its estimate adds some sixty degrees to
// the test's (at five periods a side, the paired test alone has too few to see
// a +50% latency under 15% jitter), recent enough to be the same service.
const HISTORY_MS = 60 * 60_000;
const historyBefore = (end: Date): { start: Date; end: Date } => ({ start: new Date(end.getTime() - HISTORY_MS), end });

// The stable revision's window: as long as the canary's, ending when the release began.
function before(end: Date, canaryStart: Date, canaryEnd: Date): { start: Date; end: Date } {
  if (end.getTime() > canaryStart.getTime()) {
    throw new InvalidInputError(
      `the baseline's window must end (${end.toISOString()}) by the time the canary's starts (${canaryStart.toISOString()})`,
    );
  }
  return { start: new Date(end.getTime() - (canaryEnd.getTime() - canaryStart.getTime())), end };
}

function resolveWindow(window: AnalysisWindow, now: Date): { start: Date; end: Date } {
  const { start, end } =
    'seconds' in window
      ? { start: new Date(now.getTime() - window.seconds * 1000), end: now }
      : 'since' in window
        ? { start: window.since, end: now }
        : window;
  if (start.getTime() >= end.getTime()) {
    throw new InvalidInputError(
      `the analysis window must end after it starts: ${start.toISOString()} to ${end.toISOString()}`,
    );
  }
  return { start, end };
}

function customQuery(metric: CustomMetricPolicy, request: CanaryCheckRequest): CanaryMetricsQuery['custom'][number] {
  if (!metric.dimensions.some((dimension) => dimension.value === TARGET_GROUP)) {
    throw new InvalidInputError(
      `custom metric ${metric.name} has no dimension valued ${TARGET_GROUP}: canary and baseline would read the same series`,
    );
  }
  const forSide = (targetGroup: string): Dimension[] =>
    metric.dimensions.map((dimension) =>
      dimension.value === TARGET_GROUP ? { ...dimension, value: targetGroup } : dimension,
    );
  return {
    name: metric.name,
    namespace: metric.namespace,
    metricName: metric.metricName,
    statistic: metric.statistic,
    dimensions: { canary: forSide(request.canaryTargetGroup), baseline: forSide(request.baselineTargetGroup) },
  };
}

// What an inconclusive analysis at a paused hook did, for the reason people read.
function withDecision(
  reason: string,
  decision: CanaryCheckResult['decision'],
  history: CanaryCheckResult['history'],
  policy: CanaryCheckRequest['policy'],
): string {
  if (decision === 'extend') {
    return `${reason}; bake extended (${history.extended * (policy.intervalSeconds / 60)} of ${policy.maxExtensionMinutes} min)`;
  }
  if (history.inconclusive === 0 || decision === 'wait') return reason;
  const after = `no verdict after the bake and ${policy.maxExtensionMinutes} min more`;
  if (decision === 'continue') return `${reason}; ${after}: proceeding, as onNoData says`;
  if (decision === 'rollback') return `${reason}; ${after}: rolling back, as onNoData says`;
  return `${reason}; ${after}`;
}
