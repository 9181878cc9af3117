import { isNative } from '../catalog/index.ts';
import { RollbackFailedError, TransientError } from '../platform/errors.ts';
import { errorText } from '../platform/message-text.ts';
import { nativeRollout } from './native-rollout.ts';
import type { EcsPort, ServiceDeployment } from './ports/ecs.ts';
import type { DeployResult, ReleaseRequest, ReleaseTarget, RollbackResult } from './release.ts';
import { readPausedHook } from './rollout.ts';
import { shortRevision } from './rollout-report.ts';
import { pointServiceAt, stabilityDeadline } from './service-update.ts';

/** What a rollback uses: ECS and the clock. */
export interface RollbackPorts {
  ecs: Pick<
    EcsPort,
    | 'describeService'
    | 'describeServiceDeployment'
    | 'rollbackServiceDeployment'
    | 'continueServiceDeployment'
    | 'updateService'
    | 'latestServiceDeployment'
  >;
  now: () => Date;
}

/**
 * Starts returning a target's service to the revision it ran before the
 * release: a running deployment is stopped and rolled back by ECS, one that
 * ECS is already rolling back is left to it, a finished one is replaced by an
 * update to the previous revision. The caller then waits for that to finish.
 * A native deployment (canary, linear, blue-green) runs both revisions until it
 * ends, so it is rolled back by switching traffic: a paused hook is answered
 * with ROLLBACK, a running deployment stopped with ROLLBACK; it is redeployed
 * only once ECS has ended it, and never while ECS cannot say where it is.
 */
export async function rollBack(
  request: ReleaseRequest,
  deployment: DeployResult,
  { ecs, now }: RollbackPorts,
): Promise<RollbackResult> {
  const { target } = request;
  const previous = deployment.previousTaskDefinitionArn;
  const started = (method: RollbackResult['method'], serviceDeploymentArn: string): RollbackResult => ({
    method,
    serviceDeploymentArn,
    taskDefinitionArn: previous,
    deadline: stabilityDeadline(target, now()),
  });
  try {
    // Two looks at most: a deployment can finish between the first look and the
    // stop, and ECS then refuses the stop; the second look takes the path for a
    // finished one. A second refusal is a failed rollback.
    for (let look = 1; ; look++) {
      const running = await ecs.describeServiceDeployment(deployment.serviceDeploymentArn);
      switch (running?.status) {
        case 'PENDING':
        case 'IN_PROGRESS': {
          const hook = isNative(target.strategy) ? readPausedHook(running) : undefined;
          try {
            if (hook === undefined) await ecs.rollbackServiceDeployment(running.arn);
            else await ecs.continueServiceDeployment(running.arn, hook.hookId, 'ROLLBACK');
          } catch (error) {
            if (look > 1 || error instanceof TransientError) throw error;
            continue;
          }
          return started(hook === undefined ? 'stop' : 'hook', running.arn);
        }
        case 'ROLLBACK_REQUESTED':
        case 'ROLLBACK_IN_PROGRESS':
        case 'ROLLBACK_SUCCESSFUL':
          return started('none', running.arn);
        default: {
          const serviceDeploymentArn = await redeploy(ecs, target, previous, running);
          if (serviceDeploymentArn === undefined) {
            throw new RollbackFailedError(
              `service ${target.ecsService} was pointed back at ${shortRevision(previous)} but ECS reports no service deployment for it`,
            );
          }
          return started('update', serviceDeploymentArn);
        }
      }
    }
  } catch (error) {
    if (error instanceof TransientError || error instanceof RollbackFailedError) throw error;
    throw new RollbackFailedError(
      `rolling ${target.service}/${target.environment} (service ${target.ecsService}) back to ${shortRevision(previous)} failed: ${errorText(error)}`,
      { cause: error },
    );
  }
}

// The previous revision again, once the release's deployment has ended. For a
// native strategy, without PAUSE hooks: no release waits at them.
async function redeploy(
  ecs: RollbackPorts['ecs'],
  target: ReleaseTarget,
  previous: string,
  deployment: ServiceDeployment | undefined,
): Promise<string | undefined> {
  if (!isNative(target.strategy)) return pointServiceAt(ecs, target, previous);
  if (deployment?.status !== 'SUCCESSFUL' && deployment?.status !== 'STOPPED') {
    const where = deployment === undefined ? 'ECS does not know it' : `it is ${deployment.status}`;
    throw new RollbackFailedError(
      `the ${target.strategy} deployment of ${target.service}/${target.environment} (service ${target.ecsService}) cannot be rolled back: ${where}, so both revisions may still run and a redeploy would start a third; see the service's deployments in ECS`,
    );
  }
  const service = await ecs.describeService(target.cluster, target.ecsService);
  const rollout = nativeRollout(target, service ?? {}, { pause: false });
  return pointServiceAt(ecs, target, previous, rollout);
}
