import type { DeploymentConfiguration, Service } from '@aws-sdk/client-ecs';
import type { Arns } from '../aws/arns.ts';
import type { AwsLocation } from '../aws/location.ts';
import type { RequestContext } from '../aws/request-context.ts';
import type { EcrEmulator } from '../ecr/emulator.ts';
import { DOCKER_MANIFEST_V2, inventManifest } from '../ecr/manifest.ts';
import { albName, type LoadBalancerInfo, type LoadBalancers } from '../lb/registry.ts';
import type { EcsEmulator } from './emulator.ts';

// Services set up the way a user would with the AWS CLI, through the
// emulators' own operations: a cluster, a repository holding the image, a
// Fargate-style task definition pinning it by digest, a load balancer and a
// service with the circuit breaker on. Seeded images are history, not pushes:
// they send no push event, so seeding starts no release.

/** A service to create (or find) in the world. */
export interface ServiceSpec {
  /** Default `sandbox`. */
  cluster?: string;
  service: string;
  /** An ECR repository in the sandbox, e.g. `demo/web`; created if missing. */
  repository: string;
  /** The tag to run from the start; pushed (quietly) if missing. */
  tag: string;
  /** Task definition family; default: the service name. */
  family?: string;
  /** Container name; default: the service name. */
  container?: string;
  /** Default 8080. */
  containerPort?: number;
  /** Default 2. */
  desiredCount?: number;
  /** The load balancer's port; default 0 (a free port). */
  port?: number;
  /** Default `{ enable: true, rollback: true }`. */
  circuitBreaker?: { enable: boolean; rollback: boolean };
  /** Defaults 100 and 200, as ECS's. */
  minimumHealthyPercent?: number;
  maximumPercent?: number;
  healthCheckGracePeriodSeconds?: number;
  environment?: Record<string, string>;
  /** Container secrets: environment variable → SSM parameter (name or ARN), injected when each task starts. */
  secrets?: Record<string, string>;
  /**
   * A native strategy (BLUE_GREEN, CANARY, LINEAR) with its settings and
   * lifecycle hooks, as CreateService takes them: the load balancer then gets
   * an alternate target group, a production listener rule and a test
   * listener on `testPort`, which the service's advancedConfiguration names.
   */
  native?: Pick<
    DeploymentConfiguration,
    'strategy' | 'canaryConfiguration' | 'linearConfiguration' | 'bakeTimeInMinutes' | 'lifecycleHooks'
  >;
  /** The test listener's port, for a native strategy; default 0 (a free port). */
  testPort?: number;
  /**
   * The account and region the service (its cluster, task definition and load
   * balancer) lives in; default: the world's home. Its image comes from `imageLocation`.
   */
  location?: AwsLocation;
  /** The account and region of the repository (e.g. a tools account's); default: `location`. */
  imageLocation?: AwsLocation;
}

/** What ensureService made or found. */
export interface ServiceHandle {
  cluster: string;
  service: string;
  serviceArn: string;
  taskDefinitionArn: string;
  loadBalancer: LoadBalancerInfo;
}

export interface SeedContext {
  /** The account and region seeded (ARNs built for it), and the request context its ECS calls act in. */
  arns: Arns;
  request: RequestContext;
  ecs: EcsEmulator;
  ecr: EcrEmulator;
  loadBalancers: LoadBalancers;
}

const describeService = async (
  context: SeedContext,
  cluster: string,
  service: string,
): Promise<Service | undefined> => {
  const { services } = (await context.ecs.handle(
    'DescribeServices',
    { cluster, services: [service] },
    context.request,
  )) as {
    services: Service[];
  };
  return services[0]?.status === 'ACTIVE' ? services[0] : undefined;
};

/** Creates the service and everything it needs, or returns the existing one unchanged. */
export async function ensureService(context: SeedContext, spec: ServiceSpec): Promise<ServiceHandle> {
  const cluster = spec.cluster ?? 'sandbox';
  const name = albName(`${cluster}-${spec.service}`);
  const existing = await describeService(context, cluster, spec.service).catch(() => undefined);
  const found = context.loadBalancers.find(name);
  if (existing && found) {
    return {
      cluster,
      service: spec.service,
      serviceArn: existing.serviceArn ?? '',
      taskDefinitionArn: existing.taskDefinition ?? '',
      loadBalancer: found,
    };
  }

  await context.ecs.handle('CreateCluster', { clusterName: cluster }, context.request);
  const registry = context.ecr.registryAt(spec.imageLocation ?? context.arns);
  // Scanned on push, as the scan gate wants (a tag's `-critN`/`-highN` words choose its findings).
  const repository =
    registry.findRepository(spec.repository) ?? registry.createRepository(spec.repository, { scanOnPush: true });
  const image =
    registry.findImage(repository, { imageTag: spec.tag }) ??
    registry.putImage(repository.name, {
      manifest: inventManifest(repository.name, spec.tag),
      mediaType: DOCKER_MANIFEST_V2,
      tag: spec.tag,
    }).image;
  const loadBalancer = await context.loadBalancers.create(
    name,
    spec.port ?? 0,
    spec.native ? { testPort: spec.testPort ?? 0 } : {},
  );
  const native = loadBalancer.native;

  const container = spec.container ?? spec.service;
  const containerPort = spec.containerPort ?? 8080;
  const { taskDefinition } = (await context.ecs.handle(
    'RegisterTaskDefinition',
    {
      family: spec.family ?? spec.service,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      executionRoleArn: `arn:aws:iam::${context.arns.accountId}:role/ecsTaskExecutionRole`,
      containerDefinitions: [
        {
          name: container,
          image: `${repository.uri}@${image.digest}`,
          essential: true,
          portMappings: [{ containerPort, protocol: 'tcp', name: 'http' }],
          environment: Object.entries(spec.environment ?? {}).map(([key, value]) => ({ name: key, value })),
          ...(spec.secrets
            ? { secrets: Object.entries(spec.secrets).map(([name, valueFrom]) => ({ name, valueFrom })) }
            : {}),
        },
      ],
      tags: [{ key: 'sandbox:service', value: spec.service }],
    },
    context.request,
  )) as { taskDefinition: { taskDefinitionArn: string } };

  const { service } = (await context.ecs.handle(
    'CreateService',
    {
      cluster,
      serviceName: spec.service,
      taskDefinition: taskDefinition.taskDefinitionArn,
      desiredCount: spec.desiredCount ?? 2,
      launchType: 'FARGATE',
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: ['subnet-0a1b2c3d4e5f60001'],
          securityGroups: ['sg-0a1b2c3d4e5f60001'],
          assignPublicIp: 'DISABLED',
        },
      },
      loadBalancers: [
        {
          targetGroupArn: loadBalancer.targetGroupArn,
          containerName: container,
          containerPort,
          ...(native
            ? {
                advancedConfiguration: {
                  alternateTargetGroupArn: native.alternateTargetGroupArn,
                  productionListenerRule: native.productionListenerRuleArn,
                  testListenerRule: native.testListenerRuleArn,
                  roleArn: `arn:aws:iam::${context.arns.accountId}:role/ecsInfrastructureRoleForLoadBalancers`,
                },
              }
            : {}),
        },
      ],
      ...(spec.healthCheckGracePeriodSeconds === undefined
        ? {}
        : { healthCheckGracePeriodSeconds: spec.healthCheckGracePeriodSeconds }),
      deploymentConfiguration: {
        deploymentCircuitBreaker: spec.circuitBreaker ?? { enable: true, rollback: true },
        maximumPercent: spec.maximumPercent ?? 200,
        minimumHealthyPercent: spec.minimumHealthyPercent ?? 100,
        ...spec.native,
      },
      propagateTags: 'SERVICE',
      tags: [{ key: 'sandbox:service', value: spec.service }],
    },
    context.request,
  )) as { service: { serviceArn: string } };

  return {
    cluster,
    service: spec.service,
    serviceArn: service.serviceArn,
    taskDefinitionArn: taskDefinition.taskDefinitionArn,
    loadBalancer,
  };
}

/** The demo: cluster `sandbox`, repository `demo/web` with `v1`, family `web`, service `web` × 2 behind port 8080. */
export const demoServiceSpec = (options: DemoOptions & { desiredCount?: number } = {}): ServiceSpec => ({
  cluster: 'sandbox',
  service: 'web',
  repository: 'demo/web',
  tag: 'v1',
  family: 'web',
  container: 'web',
  desiredCount: options.desiredCount ?? 2,
  port: options.port ?? 8080,
  ...(options.imageLocation ? { imageLocation: options.imageLocation } : {}),
  ...databaseOf(options),
});

/**
 * The sandbox's accounts (issue 20), as config/catalog.yml names them: the demo's production runs
 * in an account and region of its own, and every demo/web image is in a shared tools account's ECR.
 */
export const DEMO_PRODUCTION_LOCATION: AwsLocation = { accountId: '222222222222', region: 'us-west-2' };
export const DEMO_TOOLS_LOCATION: AwsLocation = { accountId: '333333333333', region: 'us-east-1' };

/** A demo's port, and the database its tasks use when the sandbox runs one (secrets and plain variables). */
export interface DemoOptions {
  port?: number;
  /** Where its repository is (the sandbox's demo: the tools account's, DEMO_TOOLS_LOCATION); default: the service's. */
  imageLocation?: AwsLocation;
  secrets?: Record<string, string>;
  environment?: Record<string, string>;
}

const databaseOf = ({ secrets, environment }: DemoOptions) => ({
  ...(secrets ? { secrets } : {}),
  ...(environment ? { environment } : {}),
});

/**
 * The demo's production: service `web-production` (cluster `sandbox`, the same
 * repository `demo/web`, `v1`) × 2, released from GitHub releases of
 * example/web (config/catalog.yml), never by a push; in `location` (the
 * sandbox's: DEMO_PRODUCTION_LOCATION) with its images in `imageLocation`.
 */
export const productionDemoSpec = (
  options: { port?: number; location?: AwsLocation; imageLocation?: AwsLocation } = {},
): ServiceSpec => ({
  ...(options.location ? { location: options.location } : {}),
  ...(options.imageLocation ? { imageLocation: options.imageLocation } : {}),
  cluster: 'sandbox',
  service: 'web-production',
  repository: 'demo/web',
  tag: 'v1',
  family: 'web-production',
  container: 'web',
  desiredCount: 2,
  port: options.port ?? 0,
});

/**
 * The canary demo's stable image: a realistic baseline, so that canaries are
 * judged against noise as in production: 0.5% of requests fail at random and
 * each waits 20 ms × a lognormal factor of σ 0.30 (sandbox/demo-app/README.md).
 */
export const CANARY_DEMO_STABLE_TAG = 'v1-err0.5-lat20-jit30';

/**
 * The canary demo: service `shop` (repository `demo/shop`, CANARY_DEMO_STABLE_TAG) released by
 * ECS's CANARY strategy, 10% for 5 minutes, 2 minutes' bake, PAUSE hooks
 * after test traffic, before each production step and after the last.
 */
export const canaryDemoSpec = (options: DemoOptions & { testPort?: number } = {}): ServiceSpec => ({
  cluster: 'sandbox',
  service: 'shop',
  repository: 'demo/shop',
  tag: CANARY_DEMO_STABLE_TAG,
  family: 'shop',
  container: 'shop',
  desiredCount: 2,
  port: options.port ?? 0,
  testPort: options.testPort ?? 0,
  ...databaseOf(options),
  native: {
    strategy: 'CANARY',
    canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 },
    bakeTimeInMinutes: 2,
    lifecycleHooks: [
      {
        targetType: 'PAUSE',
        lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT', 'PRE_PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'],
      },
    ],
  },
});
