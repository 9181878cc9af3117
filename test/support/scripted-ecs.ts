import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  type ServiceDeploymentStatus,
  StopServiceDeploymentCommand,
  type Tag,
  type TaskDefinition,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';

// A small, scripted ECS and ECR behind aws-sdk-client-mock, for the
// state-machine tests: the real handlers call the real SDK clients, whose
// responses (shaped like the AWS API reference) come from this model. A
// scenario says how each new service deployment moves through its states.

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
export const REPOSITORY_URI = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/demo/web`;
export const V1_DIGEST = 'sha256:1111111111111111111111111111111111111111111111111111111111111111';

/** How one service deployment behaves: the statuses it reports, one per DescribeServiceDeployments call. */
export type DeploymentScript = ServiceDeploymentStatus[];

/** One stage of a scripted native deployment, shown for `reads` DescribeServiceDeployments calls (1 if omitted). */
export interface NativeStep {
  stage: string;
  /** The new revision's share of production traffic. */
  weight?: number;
  /** A PAUSE hook awaits ContinueServiceDeployment here: the stage stays until it is answered. */
  pause?: boolean;
  reads?: number;
  /** ECS ends the deployment here with this status (FAILED, or its own ROLLBACK_*), from then on. */
  status?: ServiceDeploymentStatus;
}

export interface EcsScenario {
  /** The first deployment after play() is native: it goes through these stages, then SUCCESSFUL. */
  native?: NativeStep[];
  /** For each UpdateService, in order: the statuses its deployment reports (the last one repeats). */
  deployments: DeploymentScript[];
  /** Statuses after StopServiceDeployment(ROLLBACK). */
  stopRollback?: DeploymentScript;
  /** Make RegisterTaskDefinition fail with this AWS error name. */
  registerFails?: string;
  /** Make StopServiceDeployment fail with this AWS error name. */
  stopFails?: string;
}

interface NativeProgress {
  steps: NativeStep[];
  at: number;
  reads: number;
  hookId?: string;
}

interface Deployment {
  arn: string;
  script: DeploymentScript;
  native?: NativeProgress;
  reads: number;
  sourceTaskDefinition: string;
  targetTaskDefinition: string;
  createdAt: Date;
}

const awsError = (name: string, message: string) => Object.assign(new Error(message), { name, $fault: 'client' });

// A fixed instant, so whether a push is an image's first never depends on how fast a test runs.
const STORED_BEFORE_THE_SCRIPT = new Date('2025-01-01T00:00:00.000Z');

export class ScriptedEcs {
  readonly ecs = mockClient(ECSClient);
  readonly ecr = mockClient(ECRClient);
  readonly calls: { command: string; input: unknown }[] = [];
  /** Digests ECR answers ImageNotFoundException for. */
  readonly missingImages = new Set<string>();
  readonly taskDefinitions = new Map<string, TaskDefinition>();
  private readonly tags = new Map<string, Tag[]>();
  serviceTaskDefinition: string;
  readonly deployments: Deployment[] = [];
  private scenario: EcsScenario = { deployments: [] };
  private nativeFrom = 0;
  private held = false;
  /** The service runs a revision ECS names no service deployment for (until the next UpdateService). */
  private unnamedDeployment = false;
  /** When the service's two running tasks were created: at start, then by each deployment that succeeds (not a rollback). */
  private tasksCreatedAt = new Date();

  constructor() {
    const first = this.register({
      family: 'web',
      containerDefinitions: [
        {
          name: 'web',
          image: `${REPOSITORY_URI}@${V1_DIGEST}`,
          essential: true,
          portMappings: [{ containerPort: 8080 }],
        },
        { name: 'log-router', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable', essential: false },
      ],
      cpu: '256',
      memory: '512',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
    });
    this.serviceTaskDefinition = first;
    this.wire();
  }

  /** Sets how the next deployments behave. */
  play(scenario: EcsScenario): this {
    this.scenario = scenario;
    this.nativeFrom = this.deployments.length;
    return this;
  }

  /** New tasks replace the running ones, as a release or a forced deployment of the service would. */
  replaceTasks(): void {
    this.tasksCreatedAt = new Date();
  }

  /** Keeps every deployment IN_PROGRESS until release(): lets a test act while a release is mid-flight. */
  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
  }

  /** Puts `image` live by other means than a release (a hand deploy): a new revision, no service deployment named. */
  putLive(image: string): void {
    const {
      taskDefinitionArn: _arn,
      revision: _revision,
      ...current
    } = this.taskDefinitions.get(this.serviceTaskDefinition) ?? {};
    this.serviceTaskDefinition = this.register({
      ...current,
      containerDefinitions: (current.containerDefinitions ?? []).map((c) => (c.name === 'web' ? { ...c, image } : c)),
    });
    this.unnamedDeployment = true;
  }

  /** The service's current image for container `web`. */
  liveImage(): string | undefined {
    return this.taskDefinitions.get(this.serviceTaskDefinition)?.containerDefinitions?.find((c) => c.name === 'web')
      ?.image;
  }

  count(command: string): number {
    return this.calls.filter((call) => call.command === command).length;
  }

  private register(input: Omit<TaskDefinition, 'taskDefinitionArn' | 'revision'>): string {
    const family = input.family ?? 'web';
    const revision = [...this.taskDefinitions.values()].filter((d) => d.family === family).length + 1;
    const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:${revision}`;
    this.taskDefinitions.set(arn, {
      ...input,
      taskDefinitionArn: arn,
      revision,
      status: 'ACTIVE',
      compatibilities: ['EC2', 'FARGATE'],
      requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.task-eni' }],
      registeredAt: new Date(),
      registeredBy: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer`,
    });
    return arn;
  }

  private startDeployment(target: string, script: DeploymentScript): Deployment {
    const deployment: Deployment = {
      arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service-deployment/sandbox/web/${Math.random().toString(36).slice(2, 24)}`,
      script,
      reads: 0,
      sourceTaskDefinition: this.serviceTaskDefinition,
      targetTaskDefinition: target,
      createdAt: new Date(),
    };
    this.deployments.push(deployment);
    this.serviceTaskDefinition = target;
    return deployment;
  }

  private rollBack(deployment: Deployment): void {
    delete deployment.native;
    deployment.script = this.scenario.stopRollback ?? ['ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL'];
    deployment.reads = 0;
  }

  /** Where a scripted native deployment is at this read; moves it on unless a hook holds it. */
  private nativeView(
    deployment: Deployment,
    progress: NativeProgress,
  ): { status: ServiceDeploymentStatus; stage?: string; weight?: number; hookId?: string } {
    const step = progress.steps[progress.at];
    if (step === undefined) {
      delete deployment.native;
      return { status: 'SUCCESSFUL' };
    }
    if (step.status !== undefined) {
      if (step.status.startsWith('ROLLBACK')) this.serviceTaskDefinition = deployment.sourceTaskDefinition;
      return { status: step.status, stage: step.stage, weight: step.weight };
    }
    const view = { status: 'IN_PROGRESS' as const, stage: step.stage, weight: step.weight };
    if (step.pause) {
      progress.hookId ??= `ecs-pause-${progress.at}-${Math.random().toString(36).slice(2, 10)}`;
      return { ...view, hookId: progress.hookId };
    }
    progress.reads++;
    if (progress.reads >= (step.reads ?? 1)) {
      progress.at++;
      progress.reads = 0;
    }
    return view;
  }

  private status(deployment: Deployment): ServiceDeploymentStatus {
    if (this.held) return 'IN_PROGRESS';
    const status = deployment.script[Math.min(deployment.reads, deployment.script.length - 1)] ?? 'IN_PROGRESS';
    deployment.reads++;
    if (status === 'ROLLBACK_SUCCESSFUL' || status === 'ROLLBACK_IN_PROGRESS') {
      // ECS (circuit breaker or a requested rollback) has moved the service back.
      this.serviceTaskDefinition = deployment.sourceTaskDefinition;
    }
    return status;
  }

  /** Every call goes through here: recorded. */
  private async enter(command: string, input: unknown): Promise<void> {
    this.calls.push({ command, input });
  }

  private wire(): void {
    const current = () => this.deployments.at(-1);

    this.ecs.on(DescribeServicesCommand).callsFake(async (input: { services?: string[] }) => {
      await this.enter('DescribeServices', input);
      // A catalog target whose ECS service was never created.
      if (input.services?.includes('ghost')) {
        return {
          services: [],
          failures: [{ arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/sandbox/ghost`, reason: 'MISSING' }],
        };
      }
      const deployment = current();
      return {
        services: [
          {
            serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/sandbox/web`,
            serviceName: 'web',
            clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/sandbox`,
            status: 'ACTIVE',
            desiredCount: 2,
            runningCount: 2,
            taskDefinition: this.serviceTaskDefinition,
            currentServiceDeployment: this.unnamedDeployment ? undefined : deployment?.arn,
            deploymentConfiguration: {
              deploymentCircuitBreaker: { enable: true, rollback: true },
              maximumPercent: 200,
              minimumHealthyPercent: 100,
            },
            events: [
              {
                id: 'e2',
                createdAt: new Date(),
                message: '(service web) has started 1 tasks: (task 0b7e3c5d2f1a4e6b8c9d0e1f2a3b4c5d).',
              },
              {
                id: 'e1',
                createdAt: new Date(Date.now() - 60_000),
                message: '(service web) has reached a steady state.',
              },
            ],
          },
        ],
        failures: [],
      };
    });
    this.ecs.on(DescribeTaskDefinitionCommand).callsFake(async (input: { taskDefinition?: string }) => {
      await this.enter('DescribeTaskDefinition', input);
      const key = input.taskDefinition ?? '';
      const found =
        this.taskDefinitions.get(key) ??
        [...this.taskDefinitions.values()].find((d) => `${d.family}:${d.revision}` === key);
      if (!found) throw awsError('ClientException', 'Unable to describe task definition.');
      return {
        taskDefinition: found,
        tags: this.tags.get(found.taskDefinitionArn ?? '') ?? [{ key: 'team', value: 'web' }],
      };
    });
    this.ecs
      .on(ListTaskDefinitionsCommand)
      .callsFake(async (input: { familyPrefix?: string; sort?: string; maxResults?: number }) => {
        await this.enter('ListTaskDefinitions', input);
        const arns = [...this.taskDefinitions.values()]
          .filter((d) => d.family === input.familyPrefix && d.status === 'ACTIVE')
          .map((d) => d.taskDefinitionArn ?? '');
        if (input.sort === 'DESC') arns.reverse();
        return { taskDefinitionArns: arns.slice(0, input.maxResults ?? 100) };
      });
    this.ecs.on(RegisterTaskDefinitionCommand).callsFake(async (input: TaskDefinition & { tags?: Tag[] }) => {
      await this.enter('RegisterTaskDefinition', input);
      if (this.scenario.registerFails)
        throw awsError(this.scenario.registerFails, 'Container.image should not be blank.');
      const { tags, ...definition } = input;
      const arn = this.register(definition);
      if (tags) this.tags.set(arn, tags);
      return { taskDefinition: this.taskDefinitions.get(arn), tags };
    });
    this.ecs.on(UpdateServiceCommand).callsFake(async (input: { taskDefinition?: string }) => {
      await this.enter('UpdateService', input);
      this.unnamedDeployment = false;
      const index = this.deployments.length;
      const script = this.scenario.deployments[Math.min(index, this.scenario.deployments.length - 1)] ?? ['SUCCESSFUL'];
      const deployment = this.startDeployment(input.taskDefinition ?? this.serviceTaskDefinition, script);
      if (this.scenario.native && index === this.nativeFrom)
        deployment.native = { steps: this.scenario.native, at: 0, reads: 0 };
      return {
        service: {
          serviceName: 'web',
          status: 'ACTIVE',
          taskDefinition: this.serviceTaskDefinition,
          currentServiceDeployment: deployment.arn,
        },
      };
    });
    this.ecs.on(ListServiceDeploymentsCommand).callsFake(async (input) => {
      await this.enter('ListServiceDeployments', input);
      return {
        serviceDeployments: [...this.deployments]
          .reverse()
          .map((d) => ({ serviceDeploymentArn: d.arn, status: d.script[0], createdAt: d.createdAt })),
      };
    });
    this.ecs.on(DescribeServiceDeploymentsCommand).callsFake(async (input: { serviceDeploymentArns?: string[] }) => {
      await this.enter('DescribeServiceDeployments', input);
      const found = this.deployments.filter((d) => input.serviceDeploymentArns?.includes(d.arn));
      return {
        serviceDeployments: found.map((d) => {
          const native = d.native ? this.nativeView(d, d.native) : undefined;
          const status = native?.status ?? this.status(d);
          if (status === 'SUCCESSFUL') this.tasksCreatedAt = d.createdAt;
          const rolledBack = status.startsWith('ROLLBACK');
          return {
            serviceDeploymentArn: d.arn,
            serviceArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:service/sandbox/web`,
            clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/sandbox`,
            createdAt: d.createdAt,
            startedAt: d.createdAt,
            status,
            statusReason: rolledBack
              ? 'Service deployment rolled back because the circuit breaker threshold was exceeded.'
              : undefined,
            sourceServiceRevisions: [
              { arn: `${d.sourceTaskDefinition}#revision`, requestedTaskCount: 2, runningTaskCount: 2 },
            ],
            targetServiceRevision: {
              arn: `${d.targetTaskDefinition}#revision`,
              requestedTaskCount: 2,
              runningTaskCount: 0,
              ...(native?.weight === undefined ? {} : { requestedProductionTrafficWeight: native.weight }),
            },
            ...(native?.stage === undefined
              ? {}
              : {
                  lifecycleStage: native.stage as never,
                  lifecycleHookDetails: native.hookId
                    ? [{ hookId: native.hookId, targetType: 'PAUSE', status: 'AWAITING_ACTION' as const }]
                    : [],
                }),
            deploymentCircuitBreaker: rolledBack
              ? { status: 'TRIGGERED', failureCount: 3, threshold: 3 }
              : { status: 'MONITORING', failureCount: 0, threshold: 3 },
            rollback: rolledBack ? { reason: 'Circuit breaker triggered', startedAt: new Date() } : undefined,
          };
        }),
        failures: [],
      };
    });
    this.ecs.on(StopServiceDeploymentCommand).callsFake(async (input: { serviceDeploymentArn?: string }) => {
      await this.enter('StopServiceDeployment', input);
      if (this.scenario.stopFails) throw awsError(this.scenario.stopFails, 'The service deployment cannot be stopped.');
      const deployment = this.deployments.find((d) => d.arn === input.serviceDeploymentArn);
      if (!deployment) throw awsError('ServiceDeploymentNotFoundException', 'Service deployment not found.');
      this.rollBack(deployment);
      return { serviceDeploymentArn: deployment.arn };
    });
    this.ecs
      .on(ContinueServiceDeploymentCommand)
      .callsFake(async (input: { serviceDeploymentArn?: string; hookId?: string; action?: string }) => {
        await this.enter('ContinueServiceDeployment', input);
        const deployment = this.deployments.find((d) => d.arn === input.serviceDeploymentArn);
        const progress = deployment?.native;
        if (!deployment || !progress?.hookId || progress.hookId !== input.hookId) {
          throw awsError('InvalidParameterException', 'The lifecycle hook is not awaiting action.');
        }
        delete progress.hookId;
        if (input.action === 'ROLLBACK') this.rollBack(deployment);
        else {
          progress.at++;
          progress.reads = 0;
        }
        return { serviceDeploymentArn: deployment.arn };
      });
    const runningTasks = [1, 2].map((n) => `arn:aws:ecs:${REGION}:${ACCOUNT}:task/sandbox/running${n}`);
    this.ecs.on(ListTasksCommand).callsFake(async (input: { desiredStatus?: string }) => {
      await this.enter('ListTasks', input);
      if (input.desiredStatus === 'RUNNING') return { taskArns: runningTasks };
      return { taskArns: [`arn:aws:ecs:${REGION}:${ACCOUNT}:task/sandbox/0b7e3c5d2f1a4e6b8c9d0e1f2a3b4c5d`] };
    });
    this.ecs.on(DescribeTasksCommand).callsFake(async (input: { tasks?: string[] }) => {
      await this.enter('DescribeTasks', input);
      if (input.tasks?.every((task) => runningTasks.includes(task))) {
        const taskDefinitionArn = this.serviceTaskDefinition;
        const createdAt = this.tasksCreatedAt;
        return {
          tasks: input.tasks.map((taskArn) => ({ taskArn, taskDefinitionArn, lastStatus: 'RUNNING', createdAt })),
          failures: [],
        };
      }
      const target = current()?.targetTaskDefinition;
      return {
        tasks: [
          {
            taskArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/sandbox/0b7e3c5d2f1a4e6b8c9d0e1f2a3b4c5d`,
            taskDefinitionArn: target,
            lastStatus: 'STOPPED',
            desiredStatus: 'STOPPED',
            stopCode: 'EssentialContainerExited',
            stoppedReason: 'Essential container in task exited',
            containers: [{ name: 'web', exitCode: 1, reason: 'Error: listen EADDRINUSE', lastStatus: 'STOPPED' }],
            stoppedAt: new Date(),
          },
        ],
        failures: [],
      };
    });

    this.ecr.on(DescribeRepositoriesCommand).callsFake(async (input: { repositoryNames?: string[] }) => {
      await this.enter('DescribeRepositories', input);
      return {
        repositories: (input.repositoryNames ?? []).map((name) => ({
          repositoryName: name,
          repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${name}`,
          registryId: ACCOUNT,
          repositoryUri: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${name}`,
        })),
      };
    });
    // Every digest is in the registry unless a test says otherwise; each was pushed when first asked about.
    // A tag `vN` names the digest digestOf(N) (test/state-machine/events.ts); `missing` names none.
    this.ecr
      .on(DescribeImagesCommand)
      .callsFake(
        async (input: { repositoryName?: string; imageIds?: { imageDigest?: string; imageTag?: string }[] }) => {
          await this.enter('DescribeImages', input);
          const id = input.imageIds?.[0];
          const imageTag = id?.imageTag;
          const tagged = /^v(\d)$/.exec(imageTag ?? '')?.[1];
          const digest = imageTag === undefined ? id?.imageDigest : tagged ? `sha256:${tagged.repeat(64)}` : undefined;
          if (digest === undefined || this.missingImages.has(digest)) {
            throw awsError('ImageNotFoundException', 'The image requested does not exist in the specified repository.');
          }
          // Stored before the script began: each push event names a later push of it, keyed by its event id.
          const pushedAt = STORED_BEFORE_THE_SCRIPT;
          const imageTags = imageTag === undefined ? [] : [imageTag];
          return {
            imageDetails: [
              { repositoryName: input.repositoryName, imageDigest: digest, imageTags, imagePushedAt: pushedAt },
            ],
          };
        },
      );
  }

  restore(): void {
    this.ecs.restore();
    this.ecr.restore();
  }
}
