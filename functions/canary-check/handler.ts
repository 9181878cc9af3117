import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { createCloudWatchMetricsAdapter } from '../../src/canary/adapters/cloudwatch-metrics.ts';
import { type CanaryCheckResult, checkCanary } from '../../src/canary/check.ts';
import { canaryCheckStep } from '../../src/canary/steps.ts';
import { lambdaHandler, logger } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';

const metrics = createCloudWatchMetricsAdapter(new CloudWatchClient({}));

/**
 * { loadBalancer, canaryTargetGroup, baselineTargetGroup, window, periodSeconds?, policy, history? }
 * → the verdict, the decision, the reason and each metric's numbers (no datapoints).
 */
export const handler = lambdaHandler(async (event: unknown): Promise<CanaryCheckResult> => {
  const request = parseEvent(canaryCheckStep.input, event);
  const result = await checkCanary(request, { metrics, now: () => new Date() });
  logger.info('canary judged', {
    canaryTargetGroup: request.canaryTargetGroup,
    verdict: result.verdict,
    decision: result.decision,
    reason: result.reason,
  });
  return result;
});
