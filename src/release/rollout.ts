import type { DeploymentLifecycleStage, ServiceDeployment, ServiceDeploymentStatus } from './ports/ecs.ts';
import type { RolloutMode } from './rollout-state.ts';

/** Where a service deployment stands for the release watching it. */
export type RolloutPhase = 'IN_PROGRESS' | 'SUCCESSFUL' | 'FAILED';

/**
 * Reads a service deployment's status. Deploying, any rollback (the circuit
 * breaker's included) is a failure; rolling back, ROLLBACK_SUCCESSFUL and
 * SUCCESSFUL are both success, to be checked against the revision the service
 * ends on. A status this code does not know counts as still in progress, so
 * the deadline, not a guess, ends the wait.
 */
export function readRollout(status: ServiceDeploymentStatus, mode: RolloutMode): RolloutPhase {
  switch (status) {
    case 'PENDING':
    case 'IN_PROGRESS':
      return 'IN_PROGRESS';
    case 'SUCCESSFUL':
      return 'SUCCESSFUL';
    case 'ROLLBACK_REQUESTED':
    case 'ROLLBACK_IN_PROGRESS':
      return mode === 'deploy' ? 'FAILED' : 'IN_PROGRESS';
    case 'ROLLBACK_SUCCESSFUL':
      return mode === 'deploy' ? 'FAILED' : 'SUCCESSFUL';
    case 'STOPPED':
    case 'STOP_REQUESTED':
    case 'ROLLBACK_FAILED':
      return 'FAILED';
    default:
      return 'IN_PROGRESS';
  }
}

/** A native deployment waiting at a PAUSE hook for ContinueServiceDeployment. */
export interface PausedHook {
  /** What ContinueServiceDeployment names. */
  hookId: string;
  /** Where the deployment waits (POST_TEST_TRAFFIC_SHIFT, PRE_ or POST_PRODUCTION_TRAFFIC_SHIFT); absent when ECS does not say. */
  stage?: DeploymentLifecycleStage;
  /** When ECS takes the hook's timeout action (ISO 8601). */
  expiresAt?: string;
  /** CONTINUE or ROLLBACK: what ECS then does. */
  timeoutAction?: string;
}

/**
 * The PAUSE hook a service deployment waits at, if any: one awaiting action
 * while the deployment is in progress. A hook ECS has left (succeeded, failed,
 * timed out) or a deployment already ending is not waiting for anyone.
 */
export function readPausedHook(
  deployment: Pick<ServiceDeployment, 'status' | 'lifecycleStage' | 'lifecycleHooks'>,
): PausedHook | undefined {
  if (deployment.status !== 'IN_PROGRESS') return undefined;
  const hook = deployment.lifecycleHooks.find(
    (detail) => detail.targetType === 'PAUSE' && detail.status === 'AWAITING_ACTION' && detail.hookId,
  );
  if (hook?.hookId === undefined) return undefined;
  return {
    hookId: hook.hookId,
    ...(deployment.lifecycleStage === undefined ? {} : { stage: deployment.lifecycleStage }),
    ...(hook.expiresAt === undefined ? {} : { expiresAt: hook.expiresAt.toISOString() }),
    ...(hook.timeoutAction === undefined ? {} : { timeoutAction: hook.timeoutAction }),
  };
}
