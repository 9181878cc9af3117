import type {
  CreateServiceResponse,
  DeleteServiceResponse,
  DescribeServicesResponse,
  ListServicesResponse,
  LoadBalancer,
  UpdateServiceResponse,
} from '@aws-sdk/client-ecs';
import type { InputReader } from '../aws/input-reader.ts';
import { page } from '../aws/paging.ts';
import { AwsApiError } from '../aws/service.ts';
import { readTags } from '../aws/tags.ts';
import { checkNativeLoadBalancers, readAdvancedConfiguration } from './advanced-configuration.ts';
import { ServiceBusEvents } from './bus-events.ts';
import { defaultRollingConfiguration, readDeploymentConfiguration } from './deployment-configuration.ts';
import { newRevision, newRollingDeployment, newServiceDeployment, startDeployment } from './deployments.ts';
import { describeMany } from './describe-many.ts';
import { readLaunchType, readNetworkConfiguration, readTaskNetwork, requireTaskDefinition } from './launch-input.ts';
import { LaunchThrottle } from './launch-throttle.ts';
import { placeRevision } from './native-deployment.ts';
import { ServiceEventLog } from './service-events.ts';
import { primaryOf, type ServiceRecord, TERMINAL_STATUSES } from './service-model.ts';
import { serviceView } from './service-views.ts';
import type { EcsState } from './state.ts';
import type { TaskDefinitionRecord } from './task-definitions.ts';
import { ECS_INVALID_TOKEN } from './wire.ts';

// CreateService, UpdateService, DeleteService, DescribeServices, ListServices.
// A deleted service is DRAINING while the scheduler stops its tasks, then
// INACTIVE; DescribeServices still shows it, ListServices no longer does.

const SERVICE_NAME = /^[a-zA-Z0-9_-]{1,255}$/;
function invalid(message: string): never {
  throw new AwsApiError('InvalidParameterException', message);
}

function readLoadBalancers(state: EcsState, reader: InputReader, taskDefinition: TaskDefinitionRecord): LoadBalancer[] {
  return reader.objects('loadBalancers').map((lb) => {
    const targetGroupArn = lb.optionalString('targetGroupArn');
    if (targetGroupArn === undefined)
      return invalid('The sandbox supports Application Load Balancers: give targetGroupArn.');
    if (!state.targetGroup(targetGroupArn)) {
      invalid(`The target group with targetGroupArn ${targetGroupArn} does not have an associated load balancer.`);
    }
    const containerName = lb.string('containerName');
    const containerPort = lb.optionalInteger('containerPort', 1, 65535);
    checkContainerPort(taskDefinition, containerName, containerPort);
    const advancedConfiguration = readAdvancedConfiguration(state, lb, targetGroupArn);
    return {
      targetGroupArn,
      containerName,
      ...(containerPort === undefined ? {} : { containerPort }),
      ...(advancedConfiguration ? { advancedConfiguration } : {}),
    };
  });
}

/** What identifies a service's load balancers, whichever of the two target groups serves production now. */
function loadBalancerKey(loadBalancers: readonly LoadBalancer[]): string {
  return JSON.stringify(
    loadBalancers
      .map((lb) => {
        const advanced = lb.advancedConfiguration;
        return {
          targetGroups: [lb.targetGroupArn, advanced?.alternateTargetGroupArn].sort(),
          container: [lb.containerName, lb.containerPort],
          rules: [advanced?.productionListenerRule, advanced?.testListenerRule, advanced?.roleArn],
        };
      })
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  );
}

function checkContainerPort(
  taskDefinition: TaskDefinitionRecord,
  containerName: string | undefined,
  containerPort: number | undefined,
): void {
  const container = taskDefinition.definition.containerDefinitions?.find((c) => c.name === containerName);
  if (!container) invalid(`The container ${containerName} does not exist in the task definition.`);
  if (containerPort !== undefined && !container?.portMappings?.some((p) => p.containerPort === containerPort)) {
    invalid(`The container ${containerName} did not have a container port ${containerPort} defined.`);
  }
}

function checkController(reader: InputReader): void {
  const type = reader.optionalObject('deploymentController')?.optionalString('type') ?? 'ECS';
  if (type !== 'ECS')
    throw new AwsApiError(
      'UnsupportedFeatureException',
      `The sandbox emulates the ECS deployment controller only, not ${type}.`,
    );
}

export function createService(state: EcsState, reader: InputReader): CreateServiceResponse {
  const cluster = state.clusters.require(reader.optionalString('cluster'));
  const name = reader.string('serviceName');
  if (!SERVICE_NAME.test(name))
    invalid('Service name can only contain letters, numbers, hyphens and underscores (up to 255 characters).');
  // A DRAINING service still holds its name; an INACTIVE one gives it up.
  const existing = state.services.find(cluster, name);
  if (existing && existing.status !== 'INACTIVE') invalid('Creation of service was not idempotent.');
  checkController(reader);
  const scheduling = reader.optionalString('schedulingStrategy') ?? 'REPLICA';
  if (scheduling !== 'REPLICA')
    throw new AwsApiError('UnsupportedFeatureException', 'The sandbox emulates REPLICA services only.');
  const taskDefinition = requireTaskDefinition(state.taskDefinitions, reader.string('taskDefinition'));
  const desiredCount = reader.optionalInteger('desiredCount', 0, 10_000);
  if (desiredCount === undefined) invalid('desiredCount is required for a REPLICA service.');
  const launchType = readLaunchType(reader, taskDefinition);
  const networkConfiguration = readTaskNetwork(reader, taskDefinition);
  const loadBalancers = readLoadBalancers(state, reader, taskDefinition);
  const grace = reader.optionalInteger('healthCheckGracePeriodSeconds', 0, 2147483647);
  if (grace !== undefined && loadBalancers.length === 0) {
    invalid('Health check grace period is only valid for services configured to use load balancers.');
  }
  const propagateTags = reader.optionalString('propagateTags') ?? 'NONE';
  if (propagateTags !== 'NONE' && propagateTags !== 'SERVICE' && propagateTags !== 'TASK_DEFINITION') {
    invalid(`Invalid propagateTags '${propagateTags}'.`);
  }
  const configuration = readDeploymentConfiguration(
    reader.optionalObject('deploymentConfiguration'),
    defaultRollingConfiguration(),
  );
  checkNativeLoadBalancers(configuration.strategy, loadBalancers);

  const arn = state.arns.service(cluster.name, name);
  const identity = { arn, name, cluster };
  const revision = newRevision(state.arns, identity, taskDefinition.definition.taskDefinitionArn ?? '');
  const current = newServiceDeployment(state.arns, identity, revision, [], configuration);
  const service: ServiceRecord = {
    ...identity,
    createdAt: new Date(),
    status: 'ACTIVE',
    desiredCount: desiredCount ?? 0,
    launchType,
    ...(networkConfiguration ? { networkConfiguration } : {}),
    loadBalancers,
    healthCheckGracePeriodSeconds: grace ?? 0,
    deploymentConfiguration: configuration,
    tags: readTags(reader),
    propagateTags,
    enableECSManagedTags: reader.optionalBoolean('enableECSManagedTags') ?? false,
    enableExecuteCommand: reader.optionalBoolean('enableExecuteCommand') ?? false,
    deployments: [newRollingDeployment(revision)],
    serviceDeployments: [],
    current,
    events: new ServiceEventLog(cluster.name, name, state.onServiceEvent),
    busEvents: new ServiceBusEvents(state.arns, { arn, clusterArn: cluster.arn }, state.onEvent),
    launchThrottle: new LaunchThrottle(),
    steady: false,
    registered: new Set(),
    revisionTargetGroups: new Map(),
  };
  state.services.add(service);
  state.services.addDeployment(service, current);
  return { service: serviceView(state, service) };
}

export function updateService(state: EcsState, reader: InputReader): UpdateServiceResponse {
  const cluster = state.clusters.require(reader.optionalString('cluster'));
  const service = state.services.require(cluster, reader.string('service'));
  if (service.status !== 'ACTIVE') throw new AwsApiError('ServiceNotActiveException', 'Service was not ACTIVE.');
  checkController(reader);
  // Validate everything before changing anything.
  const reference = reader.optionalString('taskDefinition');
  const taskDefinition = reference === undefined ? undefined : requireTaskDefinition(state.taskDefinitions, reference);
  if (reader.has('loadBalancers')) {
    // A release restates the load balancers it was set up with (as CloudFormation does); the sandbox
    // takes that, and only that: the same target group pair (ECS swaps their roles after each native
    // deployment), listener rules and role.
    const restated = readLoadBalancers(
      state,
      reader,
      taskDefinition ?? requireTaskDefinition(state.taskDefinitions, primaryOf(service).revision.taskDefinitionArn),
    );
    if (loadBalancerKey(restated) !== loadBalancerKey(service.loadBalancers)) {
      throw new AwsApiError('UnsupportedFeatureException', "The sandbox does not change a service's load balancers.");
    }
  }
  if (taskDefinition) {
    for (const lb of service.loadBalancers) checkContainerPort(taskDefinition, lb.containerName, lb.containerPort);
  }
  const desiredCount = reader.optionalInteger('desiredCount', 0, 10_000);
  const configuration = readDeploymentConfiguration(
    reader.optionalObject('deploymentConfiguration'),
    service.deploymentConfiguration,
  );
  checkNativeLoadBalancers(configuration.strategy, service.loadBalancers);
  const networkConfiguration = readNetworkConfiguration(reader);
  const grace = reader.optionalInteger('healthCheckGracePeriodSeconds', 0, 2147483647);
  const target = taskDefinition?.definition.taskDefinitionArn ?? primaryOf(service).revision.taskDefinitionArn;
  const deploys =
    target !== primaryOf(service).revision.taskDefinitionArn || reader.optionalBoolean('forceNewDeployment');
  // Best guess (undocumented): ECS does not supersede a native deployment midway, whose traffic is split.
  if (deploys && service.current.native && !TERMINAL_STATUSES.has(service.current.status)) {
    invalid('A service deployment with traffic shifting is in progress; continue, stop or wait for it first.');
  }

  if (desiredCount !== undefined && desiredCount !== service.desiredCount) {
    service.desiredCount = desiredCount;
    service.steady = false;
  }
  service.deploymentConfiguration = configuration;
  if (networkConfiguration) service.networkConfiguration = networkConfiguration;
  if (grace !== undefined) service.healthCheckGracePeriodSeconds = grace;
  if (deploys) {
    const deployment = startDeployment(state.arns, service, target);
    const native = placeRevision(service, deployment.targetRevision);
    if (native) deployment.native = native;
    state.services.addDeployment(service, deployment);
  }
  return { service: serviceView(state, service) };
}

export function deleteService(state: EcsState, reader: InputReader): DeleteServiceResponse {
  const cluster = state.clusters.require(reader.optionalString('cluster'));
  const service = state.services.require(cluster, reader.string('service'));
  const force = reader.optionalBoolean('force') ?? false;
  if (service.status !== 'ACTIVE') throw new AwsApiError('ServiceNotActiveException', 'Service was not ACTIVE.');
  if (service.desiredCount > 0 && !force) invalid('The service cannot be stopped while it is scaled above 0.');
  service.status = 'DRAINING';
  service.desiredCount = 0;
  service.steady = false;
  return { service: serviceView(state, service) };
}

export function describeServices(state: EcsState, reader: InputReader): DescribeServicesResponse {
  const cluster = state.clusters.require(reader.optionalString('cluster'));
  const names = reader.stringArray('services');
  if (names.length > 10) invalid('services can have at most 10 items.');
  const includeTags = (reader.optionalStringArray('include') ?? []).includes('TAGS');
  const { found: services, failures } = describeMany(
    names,
    (name) => state.services.find(cluster, name),
    (service) => serviceView(state, service, includeTags),
    (name) => state.arns.service(cluster.name, name),
  );
  return { services, failures };
}

export function listServices(state: EcsState, reader: InputReader): ListServicesResponse {
  const cluster = state.clusters.require(reader.optionalString('cluster'));
  const launchType = reader.optionalString('launchType');
  const arns = state.services
    .inCluster(cluster)
    .filter((s) => s.status === 'ACTIVE' && (launchType === undefined || s.launchType === launchType))
    .map((s) => s.arn);
  const { items, nextToken } = page(
    arns,
    reader.optionalString('nextToken'),
    reader.optionalInteger('maxResults', 1, 100) ?? 10,
    ECS_INVALID_TOKEN,
  );
  return { serviceArns: items, ...(nextToken ? { nextToken } : {}) };
}
