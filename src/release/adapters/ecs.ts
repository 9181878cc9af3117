import {
  ContinueServiceDeploymentCommand,
  type DeploymentConfiguration,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  type ECSClient,
  ListServiceDeploymentsCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { awsCall } from '../../platform/aws-errors.ts';
import type { EcsPort, RunningTask, ServiceEvent, StoppedTask } from '../ports/ecs.ts';

// DescribeTasks takes at most 100 task ARNs; ListTasks returns at most 100 a page.
const MAX_TASKS = 100;

// The SDK resends a request whose answer was a 5xx or never came. A resent
// RegisterTaskDefinition that had taken effect registers one more revision, so
// this command gets one attempt: the client's retry middleware is replaced, for
// it alone, by a pass-through under the same name (the middleware stack's
// override). The caller looks for what a failed attempt may have registered.
function singleAttempt(command: RegisterTaskDefinitionCommand): RegisterTaskDefinitionCommand {
  command.middlewareStack.add((next) => next, {
    name: 'retryMiddleware',
    step: 'finalizeRequest',
    priority: 'high',
    override: true,
  });
  return command;
}

/** The ECS port over an AWS SDK v3 ECS client (created once per cold start by the caller). */
export function createEcsAdapter(client: ECSClient): EcsPort {
  return {
    async describeService(cluster, service) {
      const output = await awsCall('DescribeServices', async () => {
        try {
          return await client.send(new DescribeServicesCommand({ cluster, services: [service] }));
        } catch (error) {
          // A missing cluster means the service does not exist either.
          if (error instanceof Error && error.name === 'ClusterNotFoundException') return undefined;
          throw error;
        }
      });
      const found = output?.services?.[0];
      if (!found) return undefined;
      return {
        arn: found.serviceArn ?? service,
        status: found.status ?? 'UNKNOWN',
        taskDefinitionArn: found.taskDefinition,
        currentServiceDeploymentArn: found.currentServiceDeployment,
        deploymentController: found.deploymentController?.type,
        deploymentConfiguration: found.deploymentConfiguration && { ...found.deploymentConfiguration },
        productionTargetGroupArn: found.loadBalancers?.[0]?.targetGroupArn,
        events: (found.events ?? []).flatMap((event): ServiceEvent[] =>
          event.createdAt && event.message ? [{ at: event.createdAt, message: event.message }] : [],
        ),
      };
    },

    async describeTaskDefinition(taskDefinition, options) {
      const output = await awsCall('DescribeTaskDefinition', () =>
        client.send(
          new DescribeTaskDefinitionCommand({ taskDefinition, ...(options?.withTags ? { include: ['TAGS'] } : {}) }),
        ),
      );
      const described = output.taskDefinition;
      if (!described?.family || described.revision === undefined) {
        throw new Error(`DescribeTaskDefinition returned no task definition for ${taskDefinition}`);
      }
      return {
        taskDefinition: {
          ...described,
          taskDefinitionArn: described.taskDefinitionArn ?? taskDefinition,
          family: described.family,
          revision: described.revision,
          containerDefinitions: (described.containerDefinitions ?? []).map((container) => ({ ...container })),
        },
        tags: output.tags ?? [],
      };
    },

    async latestRevisions(family, count) {
      const output = await awsCall('ListTaskDefinitions', () =>
        client.send(
          new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', sort: 'DESC', maxResults: count }),
        ),
      );
      return output.taskDefinitionArns ?? [];
    },

    async registerTaskDefinition(registration) {
      // The registration is a described task definition minus its read-only
      // fields, so its shape is ECS's own.
      const input = registration as RegisterTaskDefinitionCommandInput;
      const output = await awsCall('RegisterTaskDefinition', () =>
        client.send(singleAttempt(new RegisterTaskDefinitionCommand(input))),
      );
      const arn = output.taskDefinition?.taskDefinitionArn;
      if (!arn) throw new Error(`RegisterTaskDefinition returned no ARN for family ${registration.family}`);
      return arn;
    },

    async updateService(cluster, service, taskDefinitionArn, rollout) {
      // A rolling update sends the revision alone, so nothing else about the service changes.
      const native =
        rollout === undefined
          ? {}
          : {
              // The settings carried from the service are ECS's own DeploymentConfiguration fields.
              deploymentConfiguration: rollout.deploymentConfiguration as DeploymentConfiguration,
              loadBalancers: rollout.loadBalancers,
            };
      const output = await awsCall('UpdateService', () =>
        client.send(new UpdateServiceCommand({ cluster, service, taskDefinition: taskDefinitionArn, ...native })),
      );
      const arn = output.service?.currentServiceDeployment;
      return arn ? { serviceDeploymentArn: arn } : {};
    },

    async forceNewDeployment(cluster, service) {
      const output = await awsCall('UpdateService', () =>
        client.send(new UpdateServiceCommand({ cluster, service, forceNewDeployment: true })),
      );
      const arn = output.service?.currentServiceDeployment;
      return arn ? { serviceDeploymentArn: arn } : {};
    },

    async latestServiceDeployment(cluster, service) {
      const output = await awsCall('ListServiceDeployments', () =>
        client.send(new ListServiceDeploymentsCommand({ cluster, service })),
      );
      const newest = (output.serviceDeployments ?? [])
        .filter((deployment) => deployment.serviceDeploymentArn)
        .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))[0];
      return newest?.serviceDeploymentArn;
    },

    async describeServiceDeployment(serviceDeploymentArn) {
      const output = await awsCall('DescribeServiceDeployments', () =>
        client.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [serviceDeploymentArn] })),
      );
      const found = output.serviceDeployments?.find((d) => d.serviceDeploymentArn === serviceDeploymentArn);
      if (!found?.status) return undefined;
      return {
        arn: serviceDeploymentArn,
        status: found.status,
        statusReason: found.statusReason,
        createdAt: found.createdAt,
        circuitBreaker: found.deploymentCircuitBreaker,
        rollbackReason: found.rollback?.reason,
        lifecycleStage: found.lifecycleStage,
        lifecycleHooks: (found.lifecycleHookDetails ?? []).map(
          ({ hookId, targetType, status, expiresAt, timeoutAction }) => ({
            hookId,
            targetType,
            status,
            expiresAt,
            timeoutAction,
          }),
        ),
        ...(found.targetServiceRevision?.requestedProductionTrafficWeight === undefined
          ? {}
          : { productionWeight: found.targetServiceRevision.requestedProductionTrafficWeight }),
      };
    },

    async rollbackServiceDeployment(serviceDeploymentArn) {
      await awsCall('StopServiceDeployment', () =>
        client.send(new StopServiceDeploymentCommand({ serviceDeploymentArn, stopType: 'ROLLBACK' })),
      );
    },

    async continueServiceDeployment(serviceDeploymentArn, hookId, action) {
      await awsCall('ContinueServiceDeployment', () =>
        client.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn, hookId, action })),
      );
    },

    async stoppedTasks(cluster, service) {
      const listed = await awsCall('ListTasks', () =>
        client.send(
          new ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'STOPPED', maxResults: MAX_TASKS }),
        ),
      );
      const taskArns = listed.taskArns ?? [];
      if (taskArns.length === 0) return [];
      const described = await awsCall('DescribeTasks', () =>
        client.send(new DescribeTasksCommand({ cluster, tasks: taskArns.slice(0, MAX_TASKS) })),
      );
      return (described.tasks ?? [])
        .flatMap((task): StoppedTask[] =>
          task.taskArn
            ? [
                {
                  taskArn: task.taskArn,
                  taskDefinitionArn: task.taskDefinitionArn,
                  stoppedAt: task.stoppedAt,
                  stopCode: task.stopCode,
                  stoppedReason: task.stoppedReason,
                  containers: (task.containers ?? []).map(({ name, exitCode, reason }) => ({ name, exitCode, reason })),
                },
              ]
            : [],
        )
        .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0));
    },

    async runningTasks(cluster, service) {
      const taskArns: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await awsCall('ListTasks', async () => {
          try {
            return await client.send(
              new ListTasksCommand({
                cluster,
                serviceName: service,
                desiredStatus: 'RUNNING',
                maxResults: MAX_TASKS,
                nextToken,
              }),
            );
          } catch (error) {
            // A service (or cluster) that does not exist runs nothing.
            if (error instanceof Error && /^(Service|Cluster)NotFoundException$/.test(error.name)) return undefined;
            throw error;
          }
        });
        taskArns.push(...(page?.taskArns ?? []));
        nextToken = page?.nextToken;
      } while (nextToken);
      const tasks: RunningTask[] = [];
      for (let at = 0; at < taskArns.length; at += MAX_TASKS) {
        const described = await awsCall('DescribeTasks', () =>
          client.send(new DescribeTasksCommand({ cluster, tasks: taskArns.slice(at, at + MAX_TASKS) })),
        );
        for (const task of described.tasks ?? []) {
          if (task.taskArn) tasks.push({ taskArn: task.taskArn, createdAt: task.createdAt });
        }
      }
      return tasks;
    },
  };
}
