import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { lambdaHandler } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { releaseStoreFromEnvironment } from '../../src/release/adapters/release-store-client.ts';
import { type EndedRelease, finishRelease } from '../../src/release/finish.ts';
import { finishStep } from '../../src/release/steps.ts';

const store = releaseStoreFromEnvironment();

// Published at once (EMF, singleMetric): a count per outcome and the lead time
// from push to end. A per-invocation buffer flushed by middleware would warn
// "no metrics" whenever there were none.
const metrics = new Metrics();
const observe = ({ service, environment, outcome, leadTimeSeconds }: EndedRelease) => {
  const metric = metrics.singleMetric();
  metric.addDimensions({ catalogService: service, environment, outcome });
  metric.addMetric('Releases', MetricUnit.Count, 1);
  metric.addMetric('ReleaseLeadTime', MetricUnit.Seconds, leadTimeSeconds);
};

/** `finish`: `{ request, executionId, outcome, reason?, deployment?, error?, analysis? }` → `{ releaseId, outcome, reason? }`. */
export const handler = lambdaHandler(async (event: unknown) =>
  finishRelease(parseEvent(finishStep.input, event), { store, now: () => new Date(), observe }),
);
