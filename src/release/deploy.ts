import { isNative } from '../catalog/index.ts';
import { ContainerNotFoundError, DeployFailedError, ServiceNotFoundError, TransientError } from '../platform/errors.ts';
import { errorText } from '../platform/message-text.ts';
import { alreadyLive, readLiveRevision } from './live-revision.ts';
import { nativeRollout, orientTargetGroups } from './native-rollout.ts';
import type { EcsPort } from './ports/ecs.ts';
import { registerOnce } from './register-once.ts';
import type { AlreadyLive, DeployResult, ReleaseRequest } from './release.ts';
import { pointServiceAt, stabilityDeadline } from './service-update.ts';
import { reviseTaskDefinition } from './task-definition.ts';

/** What deploying uses: ECS and the clock. */
export interface DeployPorts {
  ecs: Pick<
    EcsPort,
    | 'describeService'
    | 'describeTaskDefinition'
    | 'latestRevisions'
    | 'registerTaskDefinition'
    | 'updateService'
    | 'latestServiceDeployment'
  >;
  now: () => Date;
}

/**
 * Deploys a planned release: registers the live revision again with the
 * container's image set to the pushed digest (once per release, however often
 * it is tried), and points the service at it; a native strategy (canary,
 * linear, blue-green) also sets ECS's strategy, its PAUSE hooks and the load
 * balancers from the catalog, so ECS shifts traffic and waits for the release's decisions.
 * Nothing changes when the image was already live when the release was planned.
 */
export async function deployRelease(
  request: ReleaseRequest,
  { ecs, now }: DeployPorts,
): Promise<DeployResult | AlreadyLive> {
  const { target, image } = request;
  try {
    const live = await readLiveRevision(ecs, target, { withTags: true });
    const current = live.taskDefinition.taskDefinitionArn;
    const startedAt = now();
    const deadline = stabilityDeadline(target, startedAt);
    const noop = alreadyLive(live, image);
    if (noop !== undefined) {
      // Live since planning: this deploy's own earlier attempt (its answer lost,
      // the retry running anew) or a release that ran while this one waited.
      // Adopt that deployment, so it is still waited on, smoke-tested and rolled
      // back to the planned revision; never report it as a no-op.
      if (current !== request.currentTaskDefinitionArn && live.serviceDeploymentArn !== undefined) {
        return {
          strategy: target.strategy,
          previousTaskDefinitionArn: request.currentTaskDefinitionArn,
          taskDefinitionArn: current,
          serviceDeploymentArn: live.serviceDeploymentArn,
          startedAt: startedAt.toISOString(),
          deadline,
          ...nativeFields(request, live.service),
        };
      }
      return { noop, taskDefinitionArn: current };
    }
    // Checked before anything is registered: a service ECS cannot shift changes not at all.
    const rollout = nativeRollout(target, live.service, { pause: true, hotfix: request.hotfix === true });
    const { releaseId } = request;
    const registration = reviseTaskDefinition(live.taskDefinition, target.container, image.uri, live.tags, releaseId);
    const taskDefinitionArn = await registerOnce(ecs, registration, {
      releaseId,
      liveRevision: live.taskDefinition.revision,
    });
    const serviceDeploymentArn = await pointServiceAt(ecs, target, taskDefinitionArn, rollout);
    if (serviceDeploymentArn === undefined) {
      throw new DeployFailedError(
        `service ${target.ecsService} was pointed at ${taskDefinitionArn} but ECS reports no service deployment for it`,
      );
    }
    return {
      strategy: target.strategy,
      previousTaskDefinitionArn: current,
      taskDefinitionArn,
      serviceDeploymentArn,
      startedAt: startedAt.toISOString(),
      deadline,
      ...nativeFields(request, live.service),
    };
  } catch (error) {
    throw asDeployFailure(error, request);
  }
}

/**
 * Native only: which target group canary-check judges against which (the new
 * revision's against production's), and whether the release is a hotfix (always
 * set: the state machine reads it on every check of the rollout).
 */
function nativeFields(
  { target, hotfix }: ReleaseRequest,
  service: { productionTargetGroupArn?: string | undefined },
): Pick<DeployResult, 'targetGroups' | 'hotfix'> {
  if (target.loadBalancer === undefined || !isNative(target.strategy)) return {};
  const { production, alternate } = orientTargetGroups(target.loadBalancer, service);
  return { targetGroups: { canary: alternate, baseline: production }, hotfix: hotfix === true };
}

// Retryable and already-named failures keep their names (the ASL acts on
// them); any other AWS error means ECS refused the change.
function asDeployFailure(error: unknown, request: ReleaseRequest): unknown {
  if (
    error instanceof TransientError ||
    error instanceof DeployFailedError ||
    error instanceof ServiceNotFoundError ||
    error instanceof ContainerNotFoundError
  ) {
    return error;
  }
  return new DeployFailedError(
    `deploying ${request.image.tag} (${request.image.digest}) to ${request.target.service}/${request.target.environment} failed: ${errorText(error)}`,
    { cause: error },
  );
}
