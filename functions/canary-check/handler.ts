import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { createCloudWatchMetricsAdapter } from '../../src/canary/adapters/cloudwatch-metrics.ts';
import { type CanaryCheckPorts, type CanaryCheckResult, checkCanary } from '../../src/canary/check.ts';
import { canaryCheckStep } from '../../src/canary/steps.ts';
import { functionLogger, type Logged, lambdaHandler } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { lambdaEntry, type Wiring } from '../../src/platform/wiring.ts';

/**
 * { loadBalancer, canaryTargetGroup, baselineTargetGroup, window, periodSeconds?, policy, history? }
 * → the verdict, the decision, the reason and each metric's numbers (no datapoints).
 */
export function createCanaryCheckHandler(deps: CanaryCheckPorts & Logged) {
  const { logger } = deps;
  return lambdaHandler(logger, async (event: unknown): Promise<CanaryCheckResult> => {
    const request = parseEvent(canaryCheckStep.input, event);
    const result = await checkCanary(request, deps);
    const { verdict, decision, reason } = result;
    logger.info('canary judged', { canaryTargetGroup: request.canaryTargetGroup, verdict, decision, reason });
    return result;
  });
}

/** `canaryCheck` over the CloudWatch `wiring` reaches. */
export const wire = (wiring: Wiring) =>
  createCanaryCheckHandler({
    metrics: createCloudWatchMetricsAdapter(new CloudWatchClient(wiring.aws)),
    now: () => new Date(),
    logger: functionLogger('canaryCheck', wiring.env),
  });

export const handler = lambdaEntry(wire);
