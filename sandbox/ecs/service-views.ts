import type {
  Deployment,
  Service,
  ServiceDeployment,
  ServiceDeploymentBrief,
  ServiceRevisionSummary,
} from '@aws-sdk/client-ecs';
import { clone } from '../aws/clone.ts';
import type { Task } from '../tasks/task.ts';
import { failureThreshold } from './circuit-breaker.ts';
import type { RollingDeployment, ServiceDeploymentRecord, ServiceRecord, ServiceRevision } from './service-model.ts';
import { type EcsState, isLive, serviceTasks } from './state.ts';
import { lifecycleView, trafficWeights } from './traffic-views.ts';

// What DescribeServices, DescribeServiceDeployments and
// ListServiceDeployments return: fresh, JSON-able objects with Dates, built
// from the service's state and its tasks' current counts.

const PENDING_STATUSES = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING']);

interface Counts {
  running: number;
  pending: number;
  live: number;
}

function countsOf(tasks: Task[], revisionArn: string): Counts {
  const ofRevision = tasks.filter((t) => isLive(t) && t.serviceRevisionArn === revisionArn);
  return {
    running: ofRevision.filter((t) => t.lastStatus === 'RUNNING').length,
    pending: ofRevision.filter((t) => PENDING_STATUSES.has(t.lastStatus)).length,
    live: ofRevision.length,
  };
}

/** How many tasks ECS wants of a revision: the desired count for the PRIMARY one, what is left for the others. */
function requested(service: ServiceRecord, revision: ServiceRevision, counts: Counts): number {
  return service.deployments[0]?.revision.arn === revision.arn ? service.desiredCount : counts.live;
}

function revisionSummary(
  state: EcsState,
  service: ServiceRecord,
  tasks: Task[],
  revision: ServiceRevision,
): ServiceRevisionSummary {
  const counts = countsOf(tasks, revision.arn);
  return {
    arn: revision.arn,
    requestedTaskCount: requested(service, revision, counts),
    runningTaskCount: counts.running,
    pendingTaskCount: counts.pending,
    ...trafficWeights(state, service, revision),
  };
}

function deploymentView(service: ServiceRecord, tasks: Task[], deployment: RollingDeployment): Deployment {
  const counts = countsOf(tasks, deployment.revision.arn);
  return {
    id: deployment.id,
    status: deployment.status,
    taskDefinition: deployment.revision.taskDefinitionArn,
    desiredCount: requested(service, deployment.revision, counts),
    pendingCount: counts.pending,
    runningCount: counts.running,
    failedTasks: deployment.failedTasks,
    createdAt: deployment.createdAt,
    updatedAt: deployment.updatedAt,
    launchType: service.launchType,
    ...(service.launchType === 'FARGATE' ? { platformVersion: '1.4.0', platformFamily: 'Linux' } : {}),
    ...(service.networkConfiguration ? { networkConfiguration: clone(service.networkConfiguration) } : {}),
    rolloutState: deployment.rolloutState,
    rolloutStateReason: deployment.rolloutStateReason,
  };
}

/**
 * The service's load balancers as ECS shows them: after a native deployment completes, ECS swaps
 * the pair, so `targetGroupArn` is the group the live revision serves from and the alternate the
 * one the next revision goes to.
 */
function currentLoadBalancers(service: ServiceRecord): ServiceRecord['loadBalancers'] {
  const live = service.lastCompleted && service.revisionTargetGroups.get(service.lastCompleted.arn);
  return service.loadBalancers.map((lb) => {
    const alternate = lb.advancedConfiguration?.alternateTargetGroupArn;
    if (!lb.advancedConfiguration || alternate === undefined || live !== alternate) return clone(lb);
    return {
      ...clone(lb),
      targetGroupArn: alternate,
      advancedConfiguration: { ...clone(lb.advancedConfiguration), alternateTargetGroupArn: lb.targetGroupArn },
    };
  });
}

export function serviceView(state: EcsState, service: ServiceRecord, includeTags = false): Service {
  const tasks = serviceTasks(state, service);
  const live = tasks.filter(isLive);
  return {
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn: service.cluster.arn,
    loadBalancers: currentLoadBalancers(service),
    serviceRegistries: [],
    status: service.status,
    desiredCount: service.desiredCount,
    runningCount: live.filter((t) => t.lastStatus === 'RUNNING').length,
    pendingCount: live.filter((t) => PENDING_STATUSES.has(t.lastStatus)).length,
    launchType: service.launchType,
    ...(service.launchType === 'FARGATE' ? { platformVersion: 'LATEST', platformFamily: 'Linux' } : {}),
    taskDefinition: service.deployments[0]?.revision.taskDefinitionArn,
    deploymentConfiguration: clone(service.deploymentConfiguration),
    deployments: service.deployments.map((d) => deploymentView(service, tasks, d)),
    events: service.events.list(),
    createdAt: service.createdAt,
    createdBy: `arn:aws:iam::${state.arns.accountId}:root`,
    currentServiceDeployment: service.current.arn,
    currentServiceRevisions: service.deployments.map((d) => revisionSummary(state, service, tasks, d.revision)),
    placementConstraints: [],
    placementStrategy: [],
    ...(service.networkConfiguration ? { networkConfiguration: clone(service.networkConfiguration) } : {}),
    ...(service.loadBalancers.length > 0
      ? { healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds }
      : {}),
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: 'ECS' },
    enableECSManagedTags: service.enableECSManagedTags,
    propagateTags: service.propagateTags,
    enableExecuteCommand: service.enableExecuteCommand,
    availabilityZoneRebalancing: 'ENABLED',
    ...(includeTags ? { tags: service.tags.map((t) => ({ ...t })) } : {}),
  };
}

export function serviceDeploymentView(
  state: EcsState,
  service: ServiceRecord,
  record: ServiceDeploymentRecord,
): ServiceDeployment {
  const tasks = serviceTasks(state, service);
  const breaker = record.deploymentConfiguration.deploymentCircuitBreaker;
  return {
    ...deploymentIdentity(record),
    ...(record.stoppedAt ? { stoppedAt: record.stoppedAt } : {}),
    updatedAt: record.updatedAt,
    sourceServiceRevisions: record.sourceRevisions.map((r) => revisionSummary(state, service, tasks, r)),
    targetServiceRevision: revisionSummary(state, service, tasks, record.targetRevision),
    status: record.status,
    ...(record.statusReason ? { statusReason: record.statusReason } : {}),
    ...lifecycleView(record),
    deploymentConfiguration: clone(record.deploymentConfiguration),
    ...(record.rollback
      ? {
          rollback: {
            reason: record.rollback.reason,
            startedAt: record.rollback.startedAt,
            serviceRevisionArn: record.rollback.revision.arn,
          },
        }
      : {}),
    deploymentCircuitBreaker: {
      status: record.breakerStatus,
      failureCount: record.failureCount,
      threshold: breaker.enable ? failureThreshold(service) : 0,
    },
    alarms: { status: 'DISABLED' },
  };
}

// What DescribeServiceDeployments and ListServiceDeployments both show of a deployment first.
function deploymentIdentity(record: ServiceDeploymentRecord) {
  return {
    serviceDeploymentArn: record.arn,
    serviceArn: record.serviceArn,
    clusterArn: record.clusterArn,
    createdAt: record.createdAt,
    ...(record.startedAt ? { startedAt: record.startedAt } : {}),
    ...(record.finishedAt ? { finishedAt: record.finishedAt } : {}),
  };
}

/** A deployment as ListServiceDeployments briefs it. */
export function serviceDeploymentBrief(record: ServiceDeploymentRecord): ServiceDeploymentBrief {
  return {
    ...deploymentIdentity(record),
    targetServiceRevisionArn: record.targetRevision.arn,
    status: record.status,
    ...(record.statusReason ? { statusReason: record.statusReason } : {}),
  };
}
