import type {
  ContinueServiceDeploymentResponse,
  DescribeServiceDeploymentsResponse,
  Failure,
  ListServiceDeploymentsResponse,
  ServiceDeployment,
  StopServiceDeploymentResponse,
} from '@aws-sdk/client-ecs';
import type { InputReader } from '../aws/input-reader.ts';
import { page } from '../aws/paging.ts';
import { AwsApiError } from '../aws/service.ts';
import { requestRollback } from './deployments.ts';
import { resolveHook, switchTrafficBack } from './native-deployment.ts';
import { TERMINAL_STATUSES } from './service-model.ts';
import { serviceDeploymentBrief, serviceDeploymentView } from './service-views.ts';
import type { EcsState } from './state.ts';
import { ECS_INVALID_TOKEN } from './wire.ts';

// DescribeServiceDeployments, ListServiceDeployments,
// StopServiceDeployment (stopType ROLLBACK: back to the last completed
// revision, as the circuit breaker would; for a native deployment, production
// traffic goes back to it at once) and ContinueServiceDeployment (a paused
// lifecycle hook: CONTINUE or ROLLBACK).

const STATUSES = new Set([
  'PENDING',
  'IN_PROGRESS',
  'SUCCESSFUL',
  'STOPPED',
  'STOP_REQUESTED',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED',
]);

export function describeServiceDeployments(state: EcsState, reader: InputReader): DescribeServiceDeploymentsResponse {
  const arns = reader.stringArray('serviceDeploymentArns');
  if (arns.length > 20) reader.fail('serviceDeploymentArns can have at most 20 items.');
  const serviceDeployments: ServiceDeployment[] = [];
  const failures: Failure[] = [];
  for (const arn of arns) {
    const found = state.services.deployment(arn);
    if (found) serviceDeployments.push(serviceDeploymentView(state, found.service, found.deployment));
    else failures.push({ arn, reason: 'MISSING', detail: 'The service deployment does not exist.' });
  }
  return { serviceDeployments, failures };
}

export function listServiceDeployments(state: EcsState, reader: InputReader): ListServiceDeploymentsResponse {
  const cluster = state.clusters.require(reader.optionalString('cluster'));
  const service = state.services.require(cluster, reader.string('service'));
  const statuses = reader.optionalStringArray('status');
  for (const status of statuses ?? [])
    if (!STATUSES.has(status)) reader.fail(`Invalid service deployment status '${status}'.`);
  const createdAt = reader.optionalObject('createdAt');
  const before = createdAt?.optionalDate('before')?.getTime() ?? Number.POSITIVE_INFINITY;
  const after = createdAt?.optionalDate('after')?.getTime() ?? Number.NEGATIVE_INFINITY;
  const matching = [...service.serviceDeployments]
    .reverse()
    .filter(
      (d) =>
        (statuses === undefined || statuses.includes(d.status)) &&
        d.createdAt.getTime() < before &&
        d.createdAt.getTime() > after,
    );
  const { items, nextToken } = page(
    matching,
    reader.optionalString('nextToken'),
    reader.optionalInteger('maxResults', 1, 100) ?? 20,
    ECS_INVALID_TOKEN,
  );
  return { serviceDeployments: items.map(serviceDeploymentBrief), ...(nextToken ? { nextToken } : {}) };
}

export function stopServiceDeployment(state: EcsState, reader: InputReader): StopServiceDeploymentResponse {
  const arn = reader.string('serviceDeploymentArn');
  const stopType = reader.optionalString('stopType') ?? 'ROLLBACK';
  if (stopType !== 'ROLLBACK') {
    throw new AwsApiError(
      'UnsupportedFeatureException',
      `stopType ${stopType} is not supported for rolling deployments; use ROLLBACK.`,
    );
  }
  const found = state.services.deployment(arn);
  if (!found) throw new AwsApiError('ServiceDeploymentNotFoundException', 'The service deployment does not exist.');
  const { service, deployment } = found;
  if (deployment.status === 'ROLLBACK_REQUESTED' || deployment.status === 'ROLLBACK_IN_PROGRESS') {
    return { serviceDeploymentArn: arn }; // already rolling back: asking again changes nothing
  }
  if (TERMINAL_STATUSES.has(deployment.status)) {
    throw new AwsApiError('ConflictException', `The service deployment is ${deployment.status} and can't be stopped.`);
  }
  const back = service.lastCompleted;
  if (!back || back.arn === deployment.targetRevision.arn) {
    throw new AwsApiError('ConflictException', 'The service has no completed service revision to roll back to.');
  }
  switchTrafficBack(state, deployment);
  requestRollback(
    deployment,
    back,
    'StopServiceDeployment requested a rollback to the last completed service revision.',
    'Service deployment rolled back because of a StopServiceDeployment request.',
  );
  return { serviceDeploymentArn: arn };
}

export function continueServiceDeployment(state: EcsState, reader: InputReader): ContinueServiceDeploymentResponse {
  const arn = reader.string('serviceDeploymentArn');
  const hookId = reader.string('hookId');
  const action = reader.optionalString('action') ?? 'CONTINUE';
  if (action !== 'CONTINUE' && action !== 'ROLLBACK') {
    reader.fail(`Invalid action '${action}'. Valid values: CONTINUE, ROLLBACK.`);
  }
  const found = state.services.deployment(arn);
  if (!found) throw new AwsApiError('ServiceDeploymentNotFoundException', 'The service deployment does not exist.');
  const { service, deployment } = found;
  // Best guesses: ECS documents neither error's code nor wording; InvalidParameterException is the one it lists.
  const run = deployment.native?.runs.find((r) => r.hookId === hookId);
  if (!run) {
    throw new AwsApiError(
      'InvalidParameterException',
      `The lifecycle hook ${hookId} was not found for the service deployment.`,
    );
  }
  if (run.status !== 'AWAITING_ACTION' || deployment.status !== 'IN_PROGRESS') {
    throw new AwsApiError(
      'InvalidParameterException',
      `The service deployment is not paused at lifecycle hook ${hookId} (hook ${run.status}, deployment ${deployment.status}).`,
    );
  }
  resolveHook(state, service, deployment, hookId, action);
  return { serviceDeploymentArn: arn };
}
