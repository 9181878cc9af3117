import { parseEvent } from '../../src/platform/index.ts';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import { awaitDeployment, awaitDeploymentStep, type WaitPorts } from '../../src/release/index.ts';
import { wiredWaitPorts } from '../../src/release/wiring.ts';

/**
 * A `.waitForTaskToken` task's StabilityQuery and token → stored as a wait on the service deployment,
 * answered at once if the deployment is already over; otherwise an ECS event or the reconcile answers it.
 */
export function createAwaitDeploymentHandler(deps: WaitPorts & Logged) {
  return lambdaHandler(deps.logger, async (event: unknown) => {
    const input = parseEvent(awaitDeploymentStep.input, event);
    const outcome = await awaitDeployment(input, deps);
    // Never the token: the deployment and whether it waits.
    deps.logger.info('awaiting deployment', { serviceDeploymentArn: input.serviceDeploymentArn, ...outcome });
    return outcome;
  });
}

/** `awaitDeployment` over the AWS `wiring` reaches. */
export const wire = (wiring: Wiring) =>
  createAwaitDeploymentHandler({ ...wiredWaitPorts(wiring), logger: functionLogger('awaitDeployment', wiring.env) });

export const handler = lambdaEntry(wire);
