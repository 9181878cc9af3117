import type { CanaryCheckRequest } from '../../../src/canary/check.ts';
import type { CanaryMetricsQuery, CustomMetricQuery } from '../../../src/canary/ports/metrics.ts';

// The reference judges read the lab's metrics through the same MetricsPort as
// the production judge, over the windows their own tools would query.

/** A query of both target groups over [start, end), with the lab's 60 s periods. */
export function windowQuery(
  request: CanaryCheckRequest,
  start: Date,
  end: Date,
  options: { baselineWindow?: { start: Date; end: Date }; custom?: CustomMetricQuery[] } = {},
): CanaryMetricsQuery {
  return {
    loadBalancer: request.loadBalancer,
    targetGroups: { canary: request.canaryTargetGroup, baseline: request.baselineTargetGroup },
    start,
    end,
    ...(options.baselineWindow === undefined ? {} : { baselineWindow: options.baselineWindow }),
    periodSeconds: 60,
    custom: options.custom ?? [],
  };
}

/** The last `minutes` up to now. */
export const lastMinutes = (request: CanaryCheckRequest, now: Date, minutes: number): CanaryMetricsQuery =>
  windowQuery(request, new Date(now.getTime() - minutes * 60_000), now);
