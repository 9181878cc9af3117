import { AwsApiError, type AwsServiceEmulator } from '../aws/service.ts';
import { createCluster, describeClusters, listClusters } from './cluster-operations.ts';
import { InputReader } from './input.ts';
import { runTask } from './run-task.ts';
import {
  describeServiceDeployments,
  listServiceDeployments,
  stopServiceDeployment,
} from './service-deployment-operations.ts';
import { createService, deleteService, describeServices, listServices, updateService } from './service-operations.ts';
import type { EcsState } from './state.ts';
import { listTagsForResource } from './tag-operations.ts';
import {
  deregisterTaskDefinition,
  describeTaskDefinition,
  listTaskDefinitionFamilies,
  listTaskDefinitions,
  registerTaskDefinition,
} from './task-definition-operations.ts';
import { describeTasks, listTasks, stopTask } from './task-operations.ts';

// The ECS API (JSON 1.1, X-Amz-Target AmazonEC2ContainerServiceV20141113.<Operation>)
// over the world's state. Operations change state synchronously; the
// scheduler (scheduler.ts) does the rest on its ticks, as ECS does.

type Operation = (state: EcsState, reader: InputReader) => unknown;

const OPERATIONS: Record<string, Operation> = {
  CreateCluster: createCluster,
  DescribeClusters: describeClusters,
  ListClusters: listClusters,
  RegisterTaskDefinition: registerTaskDefinition,
  DescribeTaskDefinition: describeTaskDefinition,
  ListTaskDefinitions: listTaskDefinitions,
  ListTaskDefinitionFamilies: listTaskDefinitionFamilies,
  DeregisterTaskDefinition: deregisterTaskDefinition,
  CreateService: createService,
  UpdateService: updateService,
  DeleteService: deleteService,
  DescribeServices: describeServices,
  ListServices: listServices,
  DescribeServiceDeployments: describeServiceDeployments,
  ListServiceDeployments: listServiceDeployments,
  StopServiceDeployment: stopServiceDeployment,
  ListTasks: listTasks,
  DescribeTasks: describeTasks,
  RunTask: runTask,
  StopTask: stopTask,
  ListTagsForResource: listTagsForResource,
};

const ERRORS = { invalid: 'InvalidParameterException', missing: 'InvalidParameterException' };

export class EcsEmulator implements AwsServiceEmulator {
  readonly targetPrefix = 'AmazonEC2ContainerServiceV20141113';
  readonly signingName = 'ecs';
  readonly #state: EcsState;

  constructor(state: EcsState) {
    this.#state = state;
  }

  /** The operations this emulator implements. */
  static readonly operations: readonly string[] = Object.keys(OPERATIONS);

  async handle(operation: string, input: Record<string, unknown>): Promise<unknown> {
    const run = OPERATIONS[operation];
    if (!run) throw new AwsApiError('UnknownOperationException', `The sandbox's ECS does not support ${operation}.`);
    return run(this.#state, new InputReader(input, ERRORS));
  }
}
