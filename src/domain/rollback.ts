import type { EcsPort } from '../ports/ecs.ts';
import { RollbackFailedError, TransientError } from './errors.ts';
import { errorText } from './message-text.ts';
import type { DeployResult, ReleaseRequest, RollbackResult } from './release.ts';
import { shortRevision } from './rollout-report.ts';
import { pointServiceAt, stabilityDeadline } from './service-update.ts';

/** What a rollback uses: ECS and the clock. */
export interface RollbackPorts {
  ecs: Pick<
    EcsPort,
    'describeServiceDeployment' | 'rollbackServiceDeployment' | 'updateService' | 'latestServiceDeployment'
  >;
  now: () => Date;
}

/**
 * Starts returning a target's service to the revision it ran before the
 * release: a running deployment is stopped and rolled back by ECS, one that
 * ECS is already rolling back is left to it, a finished one is replaced by an
 * update to the previous revision. The caller then waits for that to finish.
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
        case 'IN_PROGRESS':
          try {
            await ecs.rollbackServiceDeployment(running.arn);
          } catch (error) {
            if (look > 1 || error instanceof TransientError) throw error;
            continue;
          }
          return started('stop', running.arn);
        case 'ROLLBACK_REQUESTED':
        case 'ROLLBACK_IN_PROGRESS':
        case 'ROLLBACK_SUCCESSFUL':
          return started('none', running.arn);
        default: {
          const serviceDeploymentArn = await pointServiceAt(ecs, target, previous);
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
