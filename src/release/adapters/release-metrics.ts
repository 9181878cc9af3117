import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { EndedRelease } from '../finish.ts';

// The outcomes the four keys count as a failed deployment.
const FAILED = new Set(['FAILED', 'ROLLED_BACK', 'ROLLBACK_FAILED', 'ABANDONED']);

/**
 * Publishes an ended release's figures at once (EMF, singleMetric): a count per
 * outcome and the lead time from push to end. A per-invocation buffer flushed
 * by middleware would warn "no metrics" whenever there were none. Without
 * `metrics` (disabled, as in the sandbox) nothing is published.
 */
export function releaseMetrics(metrics: Metrics | undefined): (ended: EndedRelease) => void {
  if (!metrics) return () => undefined;
  return ({ service, environment, outcome, leadTimeSeconds, durationSeconds }) => {
    const metric = metrics.singleMetric();
    metric.addDimensions({ catalogService: service, environment, outcome });
    metric.addMetric('Releases', MetricUnit.Count, 1);
    metric.addMetric('ReleaseLeadTime', MetricUnit.Seconds, leadTimeSeconds);
    // Per target, whatever the outcome: the four keys' raw figures (README, "The four keys").
    const keys = metrics.singleMetric();
    keys.addDimensions({ catalogService: service, environment });
    keys.addMetric('ReleaseSucceeded', MetricUnit.Count, outcome === 'SUCCEEDED' ? 1 : 0);
    keys.addMetric('ReleaseFailed', MetricUnit.Count, FAILED.has(outcome) ? 1 : 0);
    keys.addMetric('ReleaseDurationSeconds', MetricUnit.Seconds, durationSeconds);
    if (outcome === 'SUCCEEDED') keys.addMetric('LeadTimeSeconds', MetricUnit.Seconds, leadTimeSeconds);
  };
}
