import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { EndedRelease } from '../finish.ts';

/**
 * Publishes an ended release's figures at once (EMF, singleMetric): a count per
 * outcome and the lead time from push to end. A per-invocation buffer flushed
 * by middleware would warn "no metrics" whenever there were none. Without
 * `metrics` (disabled, as in the sandbox) nothing is published.
 */
export function releaseMetrics(metrics: Metrics | undefined): (ended: EndedRelease) => void {
  if (!metrics) return () => undefined;
  return ({ service, environment, outcome, leadTimeSeconds }) => {
    const metric = metrics.singleMetric();
    metric.addDimensions({ catalogService: service, environment, outcome });
    metric.addMetric('Releases', MetricUnit.Count, 1);
    metric.addMetric('ReleaseLeadTime', MetricUnit.Seconds, leadTimeSeconds);
  };
}
