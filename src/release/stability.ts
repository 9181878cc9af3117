import {
  DeploymentFailedError,
  LockLostError,
  RollbackFailedError,
  StabilityTimeoutError,
} from '../platform/errors.ts';
import { bounded } from '../platform/message-text.ts';
import type { RotationLock } from '../rotation/index.ts';
import { pastScaleUp, watchNative } from './native-watch.ts';
import type { EcsPort } from './ports/ecs.ts';
import type { ReleaseStore } from './ports/release-store.ts';
import { readRollout } from './rollout.ts';
import { explainRollout, shortRevision } from './rollout-report.ts';
import type { RotationLease, StabilityQuery, StabilityResult } from './rollout-state.ts';

/**
 * What a stability check reads: ECS, the clock and, for a query with `control`, the promote or
 * abort asked (and the lease it renews); for a query with `rotationLease`, the rotation lock.
 */
export interface StabilityPorts {
  ecs: Pick<EcsPort, 'describeServiceDeployment' | 'describeService' | 'stoppedTasks'>;
  now: () => Date;
  controls?: () => Pick<ReleaseStore, 'readControl' | 'renewLock'>;
  rotationLock?: () => Pick<RotationLock, 'renew'>;
}

/**
 * Looks once at a service deployment (or the rollback of one). Returns
 * IN_PROGRESS or SUCCESSFUL, SUCCESSFUL only when the service runs the
 * expected revision; throws a failure with its reasons, or the deadline.
 * With `control`, a deployment in progress also reports the promote or abort
 * someone asked for; with `native`, what its lifecycle stage asks of the
 * release next (see watchNative), and PAUSED at a PAUSE hook.
 */
export async function checkStability(
  query: StabilityQuery,
  { ecs, now, controls, rotationLock }: StabilityPorts,
): Promise<StabilityResult> {
  const deployment = await ecs.describeServiceDeployment(query.serviceDeploymentArn);
  const checkedAt = now();
  const revision = shortRevision(query.taskDefinitionArn);
  const subject =
    query.mode === 'deploy'
      ? `deployment of ${revision} to service ${query.ecsService} (cluster ${query.cluster})`
      : `rollback of service ${query.ecsService} (cluster ${query.cluster}) to ${revision}`;
  const failed = async (headline: string) => {
    const message = bounded(`${headline}\n${await explainRollout(ecs, query, deployment)}`);
    return query.mode === 'deploy' ? new DeploymentFailedError(message) : new RollbackFailedError(message);
  };

  if (deployment === undefined) throw await failed(`${subject}: ECS does not know ${query.serviceDeploymentArn}`);
  const phase = readRollout(deployment.status, query.mode);
  const result = { deploymentStatus: deployment.status, checkedAt: checkedAt.toISOString() };

  if (phase === 'SUCCESSFUL') {
    const service = await ecs.describeService(query.cluster, query.ecsService);
    if (service?.taskDefinitionArn === query.taskDefinitionArn) return { status: 'SUCCESSFUL', ...result };
    const running = service?.taskDefinitionArn ? shortRevision(service.taskDefinitionArn) : 'no revision';
    throw await failed(`${subject}: ECS reports ${deployment.status} but the service runs ${running}`);
  }
  if (phase === 'FAILED') throw await failed(`${subject} failed: ${deployment.status}`);

  if (query.control?.lease !== undefined && controls !== undefined) {
    await renewLease(controls(), query.control, query.control.lease, checkedAt);
  }
  if (query.rotationLease !== undefined && rotationLock !== undefined) {
    await renewRotationLease(rotationLock(), query.rotationLease, checkedAt);
  }
  const control =
    query.control === undefined || controls === undefined
      ? undefined
      : await controls().readControl(query.control.lockKey, query.control.releaseId);
  const asked = control === undefined ? {} : { control };
  const native = query.native === undefined ? undefined : watchNative(deployment, query.native, control, checkedAt);
  const current: StabilityResult = { status: 'IN_PROGRESS', ...result, ...asked, ...native };
  if (native === undefined && control?.action === 'abort') return { ...current, next: 'abort' };
  if (native?.next === 'abort') return current;

  const deadline = new Date(query.deadline);
  if (checkedAt.getTime() <= deadline.getTime() || (native !== undefined && pastScaleUp(deployment))) return current;
  const waited = deployment.createdAt
    ? ` after ${formatDuration(checkedAt.getTime() - deployment.createdAt.getTime())}`
    : '';
  const headline = `${subject} is still ${deployment.status}${waited}, past its deadline ${query.deadline}`;
  if (query.mode === 'rollback') throw await failed(headline);
  throw new StabilityTimeoutError(bounded(`${headline}\n${await explainRollout(ecs, query, deployment)}`));
}

/**
 * Keeps the target locked while the release runs: a canary with several bakes
 * (and analyses that wait for data) outlasts any lease fixed when it claimed,
 * so each look at its rollout moves the lease to a full lease from now. A
 * release that stops looking (its execution died) loses the lock one lease
 * later, as before. Finding the lock taken means a second release has the target:
 * LockLostError, and this one rolls back.
 */
async function renewLease(
  store: Pick<ReleaseStore, 'renewLock'>,
  { lockKey, releaseId }: { lockKey: string; releaseId: string },
  lease: { executionId: string; seconds: number },
  now: Date,
): Promise<void> {
  const expiresAt = new Date(now.getTime() + lease.seconds * 1000).toISOString();
  if (!(await store.renewLock(lockKey, releaseId, lease.executionId, expiresAt))) {
    throw new LockLostError(
      `${lockKey} is no longer held by release ${releaseId}: its lease ran out and another release took it`,
    );
  }
}

/**
 * Keeps a secret locked while its rotation rolls a dependent: two deadlines of
 * a slow service (the roll's, then its rollback's) can outlast the lease taken
 * at begin. Finding the lock taken means another rotation has the secret.
 */
async function renewRotationLease(
  lock: Pick<RotationLock, 'renew'>,
  { parameter, rotationId, seconds }: RotationLease,
  now: Date,
): Promise<void> {
  const expiresAt = new Date(now.getTime() + seconds * 1000).toISOString();
  if (!(await lock.renew(parameter, rotationId, expiresAt))) {
    throw new LockLostError(
      `the rotation lock of ${parameter} is no longer held by rotation ${rotationId}: its lease ran out and another rotation took it`,
    );
  }
}

/** `12m 5s` */
function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m ${seconds % 60}s` : `${seconds}s`;
}
