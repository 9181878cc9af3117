import { bounded, errorText } from '../platform/message-text.ts';
import type { EcsPort, EcsService, ServiceDeployment, StoppedTask } from './ports/ecs.ts';

// A failure report lists a few items and keeps each line short.
const MAX_ITEMS = 5;
const MAX_LINE = 200;

/** Which service, and which revision's tasks, a failure report is about. */
export interface ReportScope {
  cluster: string;
  ecsService: string;
  /** The revision whose tasks matter (the new one when deploying, the previous one when rolling back). */
  taskDefinitionArn: string;
}

/** `web:43` from a task definition ARN, for messages. */
export function shortRevision(taskDefinitionArn: string): string {
  return taskDefinitionArn.slice(taskDefinitionArn.lastIndexOf('/') + 1);
}

/**
 * Why a service deployment went wrong, as its users need it: the deployment's
 * status reason, the circuit breaker, the newest stopped tasks of the revision
 * and the service's events since the deployment began. What cannot be read is
 * said, not thrown: the failure being explained matters more.
 */
export async function explainRollout(
  ecs: Pick<EcsPort, 'describeService' | 'stoppedTasks'>,
  scope: ReportScope,
  deployment: ServiceDeployment | undefined,
): Promise<string> {
  const [service, tasks] = await Promise.allSettled([
    ecs.describeService(scope.cluster, scope.ecsService),
    ecs.stoppedTasks(scope.cluster, scope.ecsService),
  ]);
  return [
    ...describeDeployment(deployment),
    ...(tasks.status === 'fulfilled'
      ? describeTasks(tasks.value, scope.taskDefinitionArn)
      : [`stopped tasks: could not be read (${errorText(tasks.reason)})`]),
    ...(service.status === 'fulfilled'
      ? describeEvents(service.value, deployment?.createdAt)
      : [`service events: could not be read (${errorText(service.reason)})`]),
  ]
    .map((line) => bounded(line, MAX_LINE))
    .join('\n');
}

function describeDeployment(deployment: ServiceDeployment | undefined): string[] {
  if (deployment === undefined) return [];
  const lines = [`deployment ${deployment.status}${deployment.statusReason ? `: ${deployment.statusReason}` : ''}`];
  const breaker = deployment.circuitBreaker;
  if (breaker?.status !== undefined && breaker.status !== 'DISABLED') {
    const tripped = breaker.status === 'TRIGGERED' ? 'tripped' : 'not tripped';
    lines.push(
      `circuit breaker ${tripped} (${breaker.status}): ${breaker.failureCount ?? '?'} failed tasks, threshold ${breaker.threshold ?? '?'}`,
    );
  }
  if (deployment.rollbackReason) lines.push(`rollback: ${deployment.rollbackReason}`);
  return lines;
}

function describeTasks(tasks: StoppedTask[], taskDefinitionArn: string): string[] {
  const ofRevision = tasks.filter((task) => task.taskDefinitionArn === taskDefinitionArn).slice(0, MAX_ITEMS);
  if (ofRevision.length === 0) return [`stopped tasks of ${shortRevision(taskDefinitionArn)}: none`];
  return [
    `stopped tasks of ${shortRevision(taskDefinitionArn)} (newest first):`,
    ...ofRevision.map((task) => {
      const id = task.taskArn.slice(task.taskArn.lastIndexOf('/') + 1);
      const why = [task.stopCode, task.stoppedReason].filter(Boolean).join(': ') || 'no reason given';
      const containers = task.containers
        .filter((container) => container.exitCode !== undefined || container.reason !== undefined)
        .map(
          (container) =>
            `${container.name ?? 'container'}${container.exitCode !== undefined ? ` exit ${container.exitCode}` : ''}${container.reason ? ` (${container.reason})` : ''}`,
        );
      return `- ${id}: ${why}${containers.length > 0 ? `; ${containers.join(', ')}` : ''}`;
    }),
  ];
}

function describeEvents(service: EcsService | undefined, since: Date | undefined): string[] {
  const events = (service?.events ?? [])
    .filter((event) => since === undefined || event.at.getTime() >= since.getTime())
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .slice(0, MAX_ITEMS);
  if (events.length === 0) return [];
  return [
    `service events${since ? ' since the deployment began' : ''} (newest first):`,
    ...events.map((event) => `- ${event.at.toISOString()} ${event.message}`),
  ];
}
