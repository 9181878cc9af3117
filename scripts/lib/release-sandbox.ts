// A fresh sandbox for the demo, the end-to-end tests and the bench: every
// port free (AWS endpoint, Slack stub, the demo's load balancer), the demo
// service `web` running, and the CLI's own Target pointed at it, so releases
// go through exactly the code `npx release` runs.
import { ECSClient } from '@aws-sdk/client-ecs';
import type { EcsWorld } from '../../sandbox/ecs/index.ts';
import { DEMO_PRODUCTION_LOCATION } from '../../sandbox/ecs/seed.ts';
import { type Sandbox, startSandbox } from '../../sandbox/index.ts';
import { catalogFilePath } from '../../src/catalog/index.ts';
import { resolveTarget, type Target } from '../../src/cli/target.ts';

export interface ReleaseSandbox {
  readonly sandbox: Sandbox;
  /** The emulated ECS world (the sandbox's ECS/ECR/LB service), for what no AWS API offers: load balancer ports. */
  readonly world: EcsWorld;
  /** What the CLI uses: ECR, Step Functions and the releases table at this sandbox. */
  readonly target: Target;
  readonly ecs: ECSClient;
  /** ECS as the demo's production account sees it, in its region (222222222222, us-west-2: config/catalog.yml). */
  readonly productionEcs: ECSClient;
  /** `http://127.0.0.1:<port>` of a service's load balancer (default: the demo `web`). */
  lbUrl(service?: string): string;
  /** Stops the sandbox and closes the clients; idempotent. */
  stop(): Promise<void>;
}

export interface ReleaseSandboxOptions {
  /** Default 0.02: a demo release takes about a second. */
  timeFactor?: number;
  /** The sandbox's terminal; nothing is printed without it. */
  print?: (line: string) => void;
  /** Keep the functions' Powertools logs (JSON lines on stdout). Default false. */
  functionLogs?: boolean;
  /** Also run the canary demo `shop` (ECS's CANARY strategy, its own 20 requests/s), on free ports. Default false. */
  canaryDemo?: boolean;
  /** More variables for the functions, e.g. RELEASE_CATALOG_FILE for another catalog. */
  environment?: Record<string, string>;
  /** Also run the demo's production `web-production` (released from GitHub releases), on a free port. Default false. */
  productionDemo?: boolean;
  /** Also run PostgreSQL (free port) for the catalog's postgres-credentials secrets; `web` then reads `web-db`. Default false. */
  postgres?: boolean;
}

export const FAST_TIME_FACTOR = 0.02;

/** The ECS world among the sandbox's services, found by its shape (StartedService.handle is `unknown`). */
export function ecsWorldOf(sandbox: Sandbox): EcsWorld {
  for (const { handle } of sandbox.services) {
    if (typeof handle === 'object' && handle !== null && 'ensureService' in handle && 'loadBalancer' in handle) {
      return handle as EcsWorld;
    }
  }
  throw new Error('the sandbox runs no ECS world (sandbox/services.ts serviceStarters is empty)');
}

export async function startReleaseSandbox(options: ReleaseSandboxOptions = {}): Promise<ReleaseSandbox> {
  const sandbox = await startSandbox({
    port: 0,
    slackPort: 0,
    lbPorts: {
      web: 0,
      ...(options.productionDemo ? { 'web-production': 0 } : {}),
      ...(options.canaryDemo ? { shop: 0 } : {}),
    },
    timeFactor: options.timeFactor ?? FAST_TIME_FACTOR,
    ...(options.postgres ? { postgres: { port: 0 } } : {}),
    ...(options.print ? { print: options.print } : { quiet: true }),
    environment: { ...(options.functionLogs ? {} : { POWERTOOLS_LOG_LEVEL: 'SILENT' }), ...options.environment },
  });
  let world: EcsWorld;
  try {
    world = ecsWorldOf(sandbox);
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
  const lbUrl = (service = 'web') => {
    // Wherever the catalog put it (the demo's production: an account and region of its own); else the home world's.
    const started = sandbox.services.flatMap((service) => service.loadBalancers ?? []);
    const url = started.find((lb) => lb.service === service)?.url ?? world.loadBalancer(service)?.url;
    if (!url) throw new Error(`no load balancer for service ${service}`);
    return url;
  };
  const target = resolveTarget({
    'endpoint-url': sandbox.endpoint,
    region: sandbox.location.region,
    catalogFile: catalogFilePath(sandbox.environment),
  });
  const ecs = new ECSClient({
    endpoint: sandbox.endpoint,
    region: sandbox.location.region,
    credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' },
  });
  // An access key id of twelve digits acts as that account (sandbox/aws/request-context.ts).
  const productionEcs = new ECSClient({
    endpoint: sandbox.endpoint,
    region: DEMO_PRODUCTION_LOCATION.region,
    credentials: { accessKeyId: DEMO_PRODUCTION_LOCATION.accountId, secretAccessKey: 'sandbox' },
  });
  let stopping: Promise<void> | undefined;
  return {
    sandbox,
    world,
    target,
    ecs,
    productionEcs,
    lbUrl,
    stop() {
      stopping ??= (async () => {
        for (const client of [
          target.ecr,
          target.ecs,
          target.sfn,
          target.ssm,
          target.cloudwatch,
          target.dynamodb,
          ecs,
          productionEcs,
        ])
          client.destroy();
        await sandbox.stop();
      })();
      return stopping;
    },
  };
}
