import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { type CanaryCheckPorts, type CanaryCheckResult, canaryCheckStep, checkCanary } from '../../src/canary/index.ts';
import { createCloudWatchMetricsAdapter } from '../../src/canary/wiring.ts';
import { parseEvent } from '../../src/platform/index.ts';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';

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
