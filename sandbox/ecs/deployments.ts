import type { Arns } from '../aws/arns.ts';
import { clone } from '../aws/clone.ts';
import { newNumericId, newServiceDeploymentId } from './arn.ts';
import {
  primaryOf,
  type RollingDeployment,
  type ServiceDeploymentRecord,
  type ServiceRecord,
  type ServiceRevision,
  TERMINAL_STATUSES,
} from './service-model.ts';

// The transitions of a service deployment that are not the scheduler's
// task-by-task work: starting one (CreateService, UpdateService), being
// superseded, asking for a rollback (circuit breaker, StopServiceDeployment)
// and switching the service back to the revision it rolls back to.

/** A new service revision for `taskDefinitionArn`. */
export function newRevision(
  arns: Arns,
  service: { cluster: { name: string }; name: string },
  taskDefinitionArn: string,
): ServiceRevision {
  return {
    arn: arns.serviceRevision(service.cluster.name, service.name, newNumericId()),
    taskDefinitionArn,
    createdAt: new Date(),
  };
}

export function newRollingDeployment(revision: ServiceRevision): RollingDeployment {
  const now = new Date();
  const id = `ecs-svc/${newNumericId()}`;
  return {
    id,
    status: 'PRIMARY',
    revision,
    failedTasks: 0,
    createdAt: now,
    updatedAt: now,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: `ECS deployment ${id} in progress.`,
  };
}

export function newServiceDeployment(
  arns: Arns,
  service: ServiceRecord | { arn: string; name: string; cluster: { arn: string; name: string } },
  target: ServiceRevision,
  sources: ServiceRevision[],
  configuration: ServiceRecord['deploymentConfiguration'],
): ServiceDeploymentRecord {
  const now = new Date();
  return {
    arn: arns.serviceDeployment(service.cluster.name, service.name, newServiceDeploymentId()),
    serviceArn: service.arn,
    clusterArn: service.cluster.arn,
    createdAt: now,
    updatedAt: now,
    status: 'PENDING',
    sourceRevisions: sources,
    targetRevision: target,
    deploymentConfiguration: clone(configuration),
    failureCount: 0,
    rollbackFailures: 0,
    breakerStatus: configuration.deploymentCircuitBreaker.enable ? 'MONITORING' : 'DISABLED',
    healthySeen: new Set(),
  };
}

/**
 * Starts a rolling deployment to `taskDefinitionArn`: a new revision becomes
 * PRIMARY, every other deployment ACTIVE (to be drained), and a running
 * service deployment is superseded.
 */
export function startDeployment(
  arns: Arns,
  service: ServiceRecord,
  taskDefinitionArn: string,
): ServiceDeploymentRecord {
  const previous = service.current;
  if (!TERMINAL_STATUSES.has(previous.status)) {
    const now = new Date();
    previous.status = 'STOPPED';
    previous.statusReason = 'Service deployment stopped because a newer service deployment was started.';
    previous.stoppedAt = now;
    previous.updatedAt = now;
    if (previous.breakerStatus === 'MONITORING') previous.breakerStatus = 'MONITORING_COMPLETE';
  }
  const revision = newRevision(arns, service, taskDefinitionArn);
  const sources = service.deployments.map((d) => d.revision);
  for (const deployment of service.deployments) deployment.status = 'ACTIVE';
  service.deployments.unshift(newRollingDeployment(revision));
  const deployment = newServiceDeployment(arns, service, revision, sources, service.deploymentConfiguration);
  service.current = deployment;
  service.steady = false;
  // A new task definition ends ECS's launch throttle at once.
  service.launchThrottle.reset();
  return deployment;
}

/** Marks the deployment ROLLBACK_REQUESTED; the scheduler switches the service back on its next tick. */
export function requestRollback(
  deployment: ServiceDeploymentRecord,
  to: ServiceRevision,
  reason: string,
  statusReason: string,
): void {
  const now = new Date();
  deployment.status = 'ROLLBACK_REQUESTED';
  deployment.statusReason = statusReason;
  deployment.rollback = { reason, startedAt: now, revision: to };
  deployment.updatedAt = now;
}

/**
 * ROLLBACK_REQUESTED → ROLLBACK_IN_PROGRESS: the revision rolled back to
 * becomes PRIMARY again (adopting its running tasks), the failed one ACTIVE.
 */
export function beginRollback(service: ServiceRecord, deployment: ServiceDeploymentRecord): void {
  const rollback = deployment.rollback;
  if (!rollback) return;
  const failed = primaryOf(service);
  failed.status = 'ACTIVE';
  if (failed.rolloutState === 'IN_PROGRESS') {
    failed.rolloutState = 'FAILED';
    failed.rolloutStateReason = `ECS deployment ${failed.id} was rolled back.`;
  }
  failed.updatedAt = new Date();
  const adopted = service.deployments.find((d) => d.status === 'ACTIVE' && d.revision.arn === rollback.revision.arn);
  const primary = newRollingDeployment(rollback.revision);
  primary.rolloutStateReason = `ECS deployment circuit breaker: rolling back to deploymentId ${adopted?.id ?? primary.id}.`;
  service.deployments = [primary, ...service.deployments.filter((d) => d !== adopted)];
  service.events.add(`rolling back to deployment ${adopted?.id ?? primary.id}.`);
  deployment.status = 'ROLLBACK_IN_PROGRESS';
  deployment.updatedAt = new Date();
  service.steady = false;
  service.launchThrottle.reset();
  // A rollback is a deployment of its own: ECS says so with the new deployment's id, its reason naming the target.
  service.busEvents.deployment('SERVICE_DEPLOYMENT_IN_PROGRESS', primary.id, primary.rolloutStateReason);
}
