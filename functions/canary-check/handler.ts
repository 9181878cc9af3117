import { type CanaryCheckPorts, type CanaryCheckResult, canaryCheckStep, checkCanary } from '../../src/canary/index.ts';
import { wiredMetricsFor } from '../../src/canary/wiring.ts';
import { type PortFor, parseEvent } from '../../src/platform/index.ts';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';

/**
 * { loadBalancer, canaryTargetGroup, baselineTargetGroup, window, periodSeconds?, policy, history? }
 * → the verdict, the decision, the reason and each metric's numbers (no datapoints).
 */
type Deps = Omit<CanaryCheckPorts, 'metrics'> & { metricsFor: PortFor<CanaryCheckPorts['metrics']> } & Logged;

export function createCanaryCheckHandler(deps: Deps) {
  const { logger } = deps;
  return lambdaHandler(logger, async (event: unknown): Promise<CanaryCheckResult> => {
    const request = parseEvent(canaryCheckStep.input, event);
    const metrics = deps.metricsFor(request.access, request.releaseId ?? 'release-automation');
    const result = await checkCanary(request, { ...deps, metrics });
    const { verdict, decision, reason } = result;
    logger.info('canary judged', { canaryTargetGroup: request.canaryTargetGroup, verdict, decision, reason });
    return result;
  });
}

/** `canaryCheck` over the CloudWatch `wiring` reaches. */
export const wire = (wiring: Wiring) =>
  createCanaryCheckHandler({
    metricsFor: wiredMetricsFor(wiring),
    now: () => new Date(),
    logger: functionLogger('canaryCheck', wiring.env),
  });

export const handler = lambdaEntry(wire);
