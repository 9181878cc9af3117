import type * as z from 'zod';
import type { EcsPort, StabilityQuery } from '../release/index.ts';
import { RollFailedError } from './errors.ts';
import type { rollTargetSchema } from './schemas.ts';

// Rolling the ECS services that read a rotated secret: each is forced to start
// new tasks (which read the parameter's latest version, now the tested one) and
// watched until stable with the release's own stability check (waitStable). A
// service that fails is rolled back by ECS to the tasks it had, which still log
// in: the previous credential stays valid until the next rotation.

/** A catalog target that may read the secret, as the roll needs it. */
export type RollTarget = z.infer<typeof rollTargetSchema>;

/** ECS in a target's account and region: each dependent is read through its own. */
export type EcsOfTarget<K extends keyof EcsPort> = (target: RollTarget) => Pick<EcsPort, K>;

/** Whether a task definition secret's `valueFrom` (a name, or an ARN in any region) names `parameter`. */
export const readsParameter = (valueFrom: string, parameter: string): boolean =>
  valueFrom === parameter || valueFrom.endsWith(`:parameter${parameter}`);

/**
 * The targets to roll: those `explicit` names (`service/environment`) and those
 * whose live task definition has a container secret reading `parameter`. A
 * target whose service cannot be read is left to the explicit list.
 */
export async function findDependents(
  parameter: string,
  explicit: readonly string[],
  targets: readonly RollTarget[],
  { ecs }: { ecs: EcsOfTarget<'describeService' | 'describeTaskDefinition'> },
): Promise<RollTarget[]> {
  const dependents: RollTarget[] = [];
  for (const target of targets) {
    if (explicit.includes(`${target.service}/${target.environment}`) || (await reads(target, parameter, ecs(target)))) {
      dependents.push(target);
    }
  }
  return dependents;
}

async function reads(
  target: RollTarget,
  parameter: string,
  ecs: Pick<EcsPort, 'describeService' | 'describeTaskDefinition'>,
): Promise<boolean> {
  const service = await ecs.describeService(target.cluster, target.ecsService);
  if (service?.taskDefinitionArn === undefined) return false;
  const { taskDefinition } = await ecs.describeTaskDefinition(service.taskDefinitionArn);
  return taskDefinition.containerDefinitions.some((container) => {
    const secrets = Array.isArray(container.secrets) ? (container.secrets as { valueFrom?: unknown }[]) : [];
    return secrets.some(
      (secret) => typeof secret.valueFrom === 'string' && readsParameter(secret.valueFrom, parameter),
    );
  });
}

const deadlineFrom = (target: RollTarget, now: Date) =>
  new Date(now.getTime() + target.stabilityDeadlineSeconds * 1000).toISOString();

/** Forces a new deployment of the target's service on the revision it runs; what to wait on (waitStable's query). */
export async function rollService(
  target: RollTarget,
  {
    ecs,
    now,
  }: { ecs: Pick<EcsPort, 'describeService' | 'forceNewDeployment' | 'latestServiceDeployment'>; now: () => Date },
): Promise<StabilityQuery> {
  const service = await ecs.describeService(target.cluster, target.ecsService);
  if (service?.taskDefinitionArn === undefined || service.status !== 'ACTIVE') {
    throw new RollFailedError(`service ${target.ecsService} (cluster ${target.cluster}) is not an active ECS service`);
  }
  const started = await ecs.forceNewDeployment(target.cluster, target.ecsService);
  const serviceDeploymentArn =
    started.serviceDeploymentArn ?? (await ecs.latestServiceDeployment(target.cluster, target.ecsService));
  if (serviceDeploymentArn === undefined) {
    throw new RollFailedError(`ECS reports no service deployment for the forced deployment of ${target.ecsService}`);
  }
  return {
    cluster: target.cluster,
    ecsService: target.ecsService,
    serviceDeploymentArn,
    taskDefinitionArn: service.taskDefinitionArn,
    deadline: deadlineFrom(target, now()),
    mode: 'deploy',
  };
}

/**
 * Has ECS roll a failed roll back to the tasks the service ran before: a
 * deployment still running is stopped with ROLLBACK; one ECS is rolling back
 * (its circuit breaker) is left to it. Returns what to wait on, or undefined
 * when the deployment has ended and there is nothing to roll back.
 */
export async function rollBackService(
  target: RollTarget,
  roll: StabilityQuery,
  { ecs, now }: { ecs: Pick<EcsPort, 'describeServiceDeployment' | 'rollbackServiceDeployment'>; now: () => Date },
): Promise<StabilityQuery | undefined> {
  const deployment = await ecs.describeServiceDeployment(roll.serviceDeploymentArn);
  switch (deployment?.status) {
    case 'PENDING':
    case 'IN_PROGRESS':
      await ecs.rollbackServiceDeployment(deployment.arn);
      break;
    case 'ROLLBACK_REQUESTED':
    case 'ROLLBACK_IN_PROGRESS':
    case 'ROLLBACK_SUCCESSFUL':
      break;
    default:
      return undefined;
  }
  return { ...roll, mode: 'rollback', deadline: deadlineFrom(target, now()) };
}
