import { requestRollback } from './deployments.ts';
import { primaryOf, type ServiceDeploymentRecord, type ServiceRecord } from './service-model.ts';

// The deployment circuit breaker (rolling updates). It counts the tasks of
// the new revision that fail to start or fail health checks; at the
// threshold the deployment FAILS and, with rollback on, ECS rolls the service
// back to the last deployment that completed. Threshold, as documented:
// BOUNDED_PERCENT (the default, value 50): ceil(value% × desired count)
// bounded to [3, 200]; UNBOUNDED_PERCENT: the same without bounds;
// COUNT: the value itself. A task that becomes healthy resets the count
// unless resetOnHealthyTask is false.

/** The number of failed tasks at which the breaker trips, for the service's latest desired count. */
export function failureThreshold(service: ServiceRecord): number {
  const configured = service.deploymentConfiguration.deploymentCircuitBreaker.thresholdConfiguration;
  const type = configured?.type ?? 'BOUNDED_PERCENT';
  const value = configured?.value ?? 50;
  if (type === 'COUNT') return Math.max(1, value);
  const share = Math.ceil((value / 100) * service.desiredCount);
  return type === 'UNBOUNDED_PERCENT' ? Math.max(1, share) : Math.min(200, Math.max(3, share));
}

export type FailureKind = 'failed-to-start' | 'essential-container-exited' | 'failed-health-checks';

/** Counts one failed task of `revisionArn`; trips the breaker when the threshold is reached. */
export function countFailure(
  service: ServiceRecord,
  deployment: ServiceDeploymentRecord,
  revisionArn: string | undefined,
  kind: FailureKind,
): void {
  const breaker = service.deploymentConfiguration.deploymentCircuitBreaker;
  if (!breaker.enable) return;
  if (deployment.status === 'IN_PROGRESS' && revisionArn === deployment.targetRevision.arn) {
    deployment.failureCount++;
    deployment.updatedAt = new Date();
    if (deployment.failureCount >= failureThreshold(service)) trip(service, deployment, kind);
    return;
  }
  if (deployment.status === 'ROLLBACK_IN_PROGRESS' && revisionArn === deployment.rollback?.revision.arn) {
    deployment.rollbackFailures++;
    if (deployment.rollbackFailures >= failureThreshold(service)) failRollback(service, deployment);
  }
}

/** A task of the target revision became healthy: with resetOnHealthyTask (the default), the count starts again. */
export function countHealthy(service: ServiceRecord, deployment: ServiceDeploymentRecord, taskId: string): void {
  if (deployment.healthySeen.has(taskId)) return;
  deployment.healthySeen.add(taskId);
  const breaker = service.deploymentConfiguration.deploymentCircuitBreaker;
  if (deployment.status === 'IN_PROGRESS' && breaker.resetOnHealthyTask !== false) deployment.failureCount = 0;
}

function trip(service: ServiceRecord, deployment: ServiceDeploymentRecord, kind: FailureKind): void {
  const primary = primaryOf(service);
  const why = kind === 'failed-health-checks' ? 'tasks failed health checks' : 'tasks failed to start';
  primary.rolloutState = 'FAILED';
  primary.rolloutStateReason = `ECS deployment circuit breaker: ${why}.`;
  primary.updatedAt = new Date();
  service.events.add(`deployment ${primary.id} deployment failed: ${why}.`);
  service.busEvents.deployment('SERVICE_DEPLOYMENT_FAILED', primary.id, primary.rolloutStateReason, primary.updatedAt);
  deployment.breakerStatus = 'TRIGGERED';
  const back = service.lastCompleted;
  if (
    service.deploymentConfiguration.deploymentCircuitBreaker.rollback &&
    back &&
    back.arn !== deployment.targetRevision.arn
  ) {
    requestRollback(
      deployment,
      back,
      'Circuit breaker threshold exceeded: rolling back to the last completed service revision.',
      'Service deployment rolled back because the circuit breaker threshold was exceeded.',
    );
    return;
  }
  // Without rollback the deployment just stops; a FAILED deployment launches no more tasks.
  const now = new Date();
  deployment.status = 'STOPPED';
  deployment.statusReason = 'Service deployment failed because the circuit breaker threshold was exceeded.';
  deployment.stoppedAt = now;
  deployment.updatedAt = now;
}

function failRollback(service: ServiceRecord, deployment: ServiceDeploymentRecord): void {
  const primary = primaryOf(service);
  const now = new Date();
  primary.rolloutState = 'FAILED';
  primary.rolloutStateReason = 'ECS deployment circuit breaker: rollback tasks failed to start.';
  primary.updatedAt = now;
  service.events.add(`deployment ${primary.id} rollback failed: tasks failed to start.`);
  service.busEvents.deployment('SERVICE_DEPLOYMENT_FAILED', primary.id, primary.rolloutStateReason, now);
  deployment.status = 'ROLLBACK_FAILED';
  deployment.statusReason = 'Service deployment rollback failed because the circuit breaker threshold was exceeded.';
  deployment.finishedAt = now;
  deployment.updatedAt = now;
}
