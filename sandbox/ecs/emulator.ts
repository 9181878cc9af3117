import { type OperationTable, TableEmulator } from '../aws/operation-table.ts';
import type { Partitions } from '../aws/partitions.ts';
import { createCluster, describeClusters, listClusters } from './cluster-operations.ts';
import { runTask } from './run-task.ts';
import {
  continueServiceDeployment,
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
import { ECS_WIRE } from './wire.ts';

// The ECS API (JSON 1.1, X-Amz-Target AmazonEC2ContainerServiceV20141113.<Operation>)
// over the world's state. Operations change state synchronously; the
// scheduler (scheduler.ts) does the rest on its ticks, as ECS does.

/** The ECS operations the sandbox implements (sandbox/ecs/README.md lists them). */
export const ECS_OPERATIONS: OperationTable<EcsState> = {
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
  ContinueServiceDeployment: continueServiceDeployment,
  ListTasks: listTasks,
  DescribeTasks: describeTasks,
  RunTask: runTask,
  StopTask: stopTask,
  ListTagsForResource: listTagsForResource,
};

/** The ECS API over one world's state, or over one per account and region. */
export class EcsEmulator extends TableEmulator<EcsState> {
  constructor(state: EcsState | Partitions<EcsState>) {
    super(ECS_WIRE, ECS_OPERATIONS, state);
  }
}
