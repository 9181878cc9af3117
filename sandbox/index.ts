// The sandbox: the whole system on one machine, no AWS account. One call
// starts every server on loopback and wires the functions to them; stop()
// closes every server and timer again. See sandbox/README.md.
//
// Several sandboxes may run in one process: the functions run in-process,
// each wired by its module's `wire` with this sandbox's own environment,
// endpoint and credentials (nothing is read from the environment at import), so
// each sandbox's functions reach its own servers. process.env is still set
// while a sandbox runs, for Powertools' POWERTOOLS_* settings and for the
// helpers and stubs that read the environment the functions declare.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { catalogFilePath } from '../src/catalog/index.ts';
import { processEnvironment } from '../src/platform/index.ts';
import type { Wiring } from '../src/platform/wiring.ts';
import { startAwsEndpoint } from './aws/server.ts';
import type { AwsServiceEmulator } from './aws/service.ts';
import { guardAgainstCrashes, inSandbox } from './crash-guard.ts';
import { startLocalDynamoDb } from './dynamodb/emulator.ts';
import { createTables, deployedTables } from './dynamodb/tables.ts';
import { deliveryLog, EventBus } from './eventbus/bus.ts';
import { createEventBridgeEmulator } from './eventbus/emulator.ts';
import { busResources, declaredBuses, eventRules } from './eventbus/rules.ts';
import { FAULTS_PATH, faultsRoute } from './faults/http.ts';
import { FaultInjector } from './faults/injector.ts';
import { timeScaledHandlers } from './lambda/analysis-time.ts';
import { functionEnvironment, installEnvironment } from './lambda/environment.ts';
import { startFunctionUrls } from './lambda/function-urls.ts';
import { lambdaFunctions, type SandboxLocation } from './lambda/functions.ts';
import type { LambdaHandler } from './lambda/handlers.ts';
import { LambdaInvoker } from './lambda/invoker.ts';
import { smokeUrlVariables } from './lambda/smoke-urls.ts';
import { type SandboxDatabases, startDatabases } from './postgres/databases.ts';
import { readServerlessConfig } from './serverless-config.ts';
import type { ServiceStarter, StartedService } from './service-starter.ts';
import { serviceStarters } from './services.ts';
import { SANDBOX_SLACK_SIGNING_SECRET, type SlackPlayer, slackPlayer } from './slack/player.ts';
import { type SlackStub, startSlackStub } from './slack/stub.ts';
import { createSsmEmulator } from './ssm/emulator.ts';
import { ParameterStore } from './ssm/parameter-store.ts';
import { secretValue } from './ssm/secret-value.ts';
import { createStepFunctionsEmulator } from './stepfunctions/emulator.ts';
import type { Execution } from './stepfunctions/execution.ts';
import { executionSummary } from './stepfunctions/execution-summary.ts';
import { StateMachineRunner } from './stepfunctions/runner.ts';
import { executionStatusChange } from './stepfunctions/status-events.ts';
import { TaskTokens } from './stepfunctions/task-tokens.ts';
import { Teardown } from './teardown.ts';

/** The AWS endpoint's default port (LocalStack's, so tools that default to it find the sandbox). */
export const DEFAULT_PORT = 4566;
export const DEFAULT_SLACK_PORT = 4580;
/** The demo service `web`'s load balancer. */
export const DEFAULT_LB_PORT = 8080;
/** The canary demo service `shop`'s load balancer, as `npm start` runs it. */
export const DEFAULT_SHOP_LB_PORT = 8081;
/** The canary demo's traffic, requests per second: at least 20, for its analyses to have data. */
export const DEFAULT_DEMO_TRAFFIC = 20;
/**
 * Every nominal duration (Wait states, retry pauses, ECS provisioning and
 * health checks) lasts this fraction of its AWS time: 0.05 makes a 15 s Wait
 * 750 ms and a whole demo release a few seconds.
 */
export const DEFAULT_TIME_FACTOR = 0.05;
/** The webhook secret seeded in SSM: `npx release github-release` signs with it, as GitHub would with yours. */
export const SANDBOX_GITHUB_WEBHOOK_SECRET = 'sandbox-github-webhook-secret-0000000000';
/** The dummy bot token seeded in SSM and accepted by the Slack stub. */
export const SANDBOX_SLACK_TOKEN = 'xoxb-0000000000-0000000000000-sandboxsandboxsandbox';

export interface SandboxOptions {
  /** The AWS endpoint's port; 0 picks a free one (tests). Default 4566. */
  port?: number;
  /** The Slack stub's port; 0 picks a free one. Default 4580. */
  slackPort?: number;
  /**
   * The first function URL's port (the others follow in serverless.yml's order).
   * Default 0, free ports: the CLI finds them at `/_sandbox/function-urls`; `npm start` uses 4590.
   */
  functionUrlPort?: number;
  /**
   * Load balancer ports by ECS service name (default: the demo `web` on 8080); 0 picks free ports.
   * With `shop`, the canary demo runs too (`npm start` sets it; the library leaves it off).
   */
  lbPorts?: Record<string, number>;
  /**
   * Requests per second the canary demo's own traffic generator sends while it runs, so that its
   * ALB metrics exist (default DEFAULT_DEMO_TRAFFIC; 0: none, the caller sends its own).
   */
  demoTrafficPerSecond?: number;
  /** Default 0.05; see DEFAULT_TIME_FACTOR. */
  timeFactor?: number;
  /** Print nothing (tests). */
  quiet?: boolean;
  /** Where the sandbox prints (default console.log). */
  print?: (line: string) => void;
  /** Handlers to run instead of serverless.yml's, by function key (tests inject stubs). */
  handlers?: Record<string, LambdaHandler>;
  /** The emulated ECS world; default: every starter in sandbox/services.ts. */
  services?: readonly ServiceStarter[];
  /**
   * More variables for the functions (they win over the sandbox's own, e.g.
   * the catalog's smoke URLs); set, like the rest, before the first invocation
   * and put back on stop.
   */
  environment?: Record<string, string>;
  /**
   * Fault rules in force from the start (see sandbox/faults/rules.ts): throttling,
   * 5xx, latency or lost answers per service and operation, at a rate. Change
   * them later through `sandbox.faults` or `/_sandbox/faults`.
   */
  faults?: readonly unknown[];
  /** The draws of the fault injector, in [0, 1) (default Math.random; tests pass a seeded one). */
  faultRandom?: () => number;
  /**
   * Start PostgreSQL for the catalog's postgres-credentials secrets
   * (postgres/databases.ts), on `port` (default the catalog's; 0 a free one).
   * Off unless given: `npm start` turns it on.
   */
  postgres?: { port?: number };
}

export interface Sandbox {
  /** `http://127.0.0.1:<port>`: `--endpoint-url` for the AWS CLI, `endpoint`/AWS_ENDPOINT_URL for SDKs. */
  readonly endpoint: string;
  readonly port: number;
  readonly location: SandboxLocation;
  readonly timeFactor: number;
  /**
   * The Slack stub, and the Slack side of the app: `sendCommand` and
   * `clickButton` POST signed requests to the slack-command function URL.
   */
  readonly slack: SlackStub & SlackPlayer & { readonly token: string; readonly signingSecret: string };
  /** The state machines of serverless.yml and their executions. */
  readonly stateMachines: StateMachineRunner;
  /** The default event bus: `publish()` sends any event, also `aws.*` ones PutEvents refuses. */
  readonly eventBus: EventBus;
  readonly parameters: ParameterStore;
  /** The functions as Lambda would run them, and a way to invoke one. */
  readonly lambda: LambdaInvoker;
  /**
   * Adds `variables` to every function's environment, as Lambda's
   * UpdateFunctionConfiguration does: each function's next invocation is a
   * cold start that reads them (e.g. smoke URLs known once load balancers run).
   */
  setFunctionEnvironment(variables: Record<string, string>): void;
  /** Each function URL of serverless.yml (`url:`), `http://127.0.0.1:<port>/`, by function key. */
  readonly functionUrls: Readonly<Record<string, string>>;
  /** The environment the functions run with (also set on process.env while the sandbox runs). */
  readonly environment: Readonly<Record<string, string>>;
  /** The emulated ECS world's services, in the order of their starters. */
  readonly services: readonly StartedService[];
  /** The fault rules every emulated service's operations meet, and what they injected. */
  readonly faults: FaultInjector;
  /** The PostgreSQL server and the secrets it serves, when started (`postgres` option and a catalog secret). */
  readonly databases: SandboxDatabases | undefined;
  /** Resolves with an execution once it has ended (history complete). */
  settled(execution: Execution): Promise<Execution>;
  /** Stops every execution, server and timer; idempotent. */
  stop(): Promise<void>;
}

const ACCOUNT_ID = '000000000000';
/** `GET` on the AWS endpoint: `{ "<function key>": "<function URL>" }`. */
export const FUNCTION_URLS_PATH = '/_sandbox/function-urls';

/** Starts every server of the sandbox on loopback; see sandbox/README.md. */
export function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  // Servers, timers and executions started here carry the mark of the sandbox's own work.
  return inSandbox(() => start(options));
}

async function start(options: SandboxOptions): Promise<Sandbox> {
  const print = options.quiet ? () => undefined : (options.print ?? ((line: string) => console.log(line)));
  const timeFactor = options.timeFactor ?? DEFAULT_TIME_FACTOR;
  if (!(timeFactor > 0 && timeFactor <= 10)) throw new RangeError(`timeFactor must be in (0, 10], got ${timeFactor}`);
  const teardown = new Teardown();
  const removeCrashGuard = guardAgainstCrashes(print);
  teardown.add('crash guard', async () => removeCrashGuard());
  try {
    const config = await readServerlessConfig();
    // The shell's variables reach the functions under the sandbox's own (e.g. RELEASE_CATALOG_FILE).
    const host = processEnvironment();
    const location: SandboxLocation = { accountId: ACCOUNT_ID, region: config.provider.region ?? 'us-east-1' };
    const dynamodb = await startLocalDynamoDb(location.region);
    teardown.add('dynalite', () => dynamodb.close());

    const parameters = new ParameterStore();
    const tokens = new TaskTokens();
    const functions = lambdaFunctions(config, location);
    // Known once the endpoint and the environment are (below), before any function runs.
    let wiring: Wiring | undefined;
    const wired = (): Wiring => {
      if (!wiring) throw new Error('a function ran before the sandbox was wired');
      return wiring;
    };
    const lambda = new LambdaInvoker({
      functions,
      wiring: wired,
      handlers: {
        // canary-check's window and wait-stable's analysis interval in the sandbox's time (lambda/analysis-time.ts).
        ...timeScaledHandlers(functions, timeFactor, wired),
        ...options.handlers,
      },
    });
    const stateMachines = new StateMachineRunner({
      config,
      location,
      invoker: lambda,
      tokens,
      region: location.region,
      timeFactor,
      // Like Step Functions, each start and end is also an event on the bus (the abandon rule listens).
      onStart: (execution) => {
        print(`▶ ${execution.stateMachine.name} ${execution.name} started`);
        eventBus.publish(executionStatusChange(execution, location));
      },
      onEnd: (execution) => {
        print(executionSummary(execution));
        eventBus.publish(executionStatusChange(execution, location));
      },
    });

    const eventBus = new EventBus({
      rules: eventRules(config),
      buses: [...declaredBuses(config).values()],
      targets: {
        startExecution: async (key, input) => {
          const machine = stateMachines.byKey(key);
          if (!machine) throw new Error(`no state machine ${key}`);
          return stateMachines.start(machine.arn, input);
        },
        invokeFunction: (key, event) => lambda.invoke(key, event),
      },
      ...deliveryLog(print),
    });

    // Before the services: their tasks read the seeded credential when they start.
    const databases = options.postgres
      ? await startDatabases({ ...options.postgres, env: { ...host, ...options.environment }, parameters })
      : undefined;
    if (databases) teardown.add('PostgreSQL', () => databases.stop());

    const lbPorts = options.lbPorts ?? { web: DEFAULT_LB_PORT };
    const services: StartedService[] = [];
    for (const start of options.services ?? serviceStarters) {
      const service = await start({
        location,
        timeFactor,
        publishEvent: (event) => eventBus.publish(event),
        lbPorts,
        demoTrafficPerSecond: options.demoTrafficPerSecond ?? DEFAULT_DEMO_TRAFFIC,
        print,
        resolveSecret: async (valueFrom) => secretValue(parameters, valueFrom),
        databases: databases?.services ?? {},
      });
      services.push(service);
      teardown.add('service', () => service.close());
    }

    const faults = new FaultInjector(options.faultRandom ? { random: options.faultRandom } : {});
    const emulators: AwsServiceEmulator[] = [
      createSsmEmulator({ store: parameters, ...location }),
      createStepFunctionsEmulator(stateMachines, tokens),
      createEventBridgeEmulator(eventBus, location, (target) => {
        const arn =
          target.kind === 'stateMachine' ? stateMachines.byKey(target.key)?.arn : functions.get(target.key)?.arn;
        if (arn === undefined) throw new Error(`rule target ${target.kind} ${target.key} is not in serverless.yml`);
        return arn;
      }),
      dynamodb.emulator,
      ...services.flatMap((service) => service.emulators),
    ];
    const functionUrls = await startFunctionUrls({
      config,
      invoker: lambda,
      region: location.region,
      basePort: options.functionUrlPort ?? 0,
      print,
    });
    teardown.add('function URLs', () => functionUrls.close());
    const endpoint = await startAwsEndpoint({
      port: options.port ?? DEFAULT_PORT,
      emulators: emulators.map((emulator) => faults.wrap(emulator)),
      log: print,
      routes: {
        [FAULTS_PATH]: faultsRoute(faults),
        // How CLI helpers that sign webhooks and Slack requests find the function URLs from the endpoint.
        [FUNCTION_URLS_PATH]: async (method) =>
          method === 'GET'
            ? { status: 200, body: functionUrls.urls }
            : { status: 405, body: { error: `${method} is not supported: GET` } },
      },
    });
    teardown.add('AWS endpoint', () => endpoint.close());

    const slack = await startSlackStub({
      port: options.slackPort ?? DEFAULT_SLACK_PORT,
      token: SANDBOX_SLACK_TOKEN,
      print,
    });
    teardown.add('Slack stub', () => slack.close());

    const resources = { ...(await deployedTables(location)), ...busResources(config, location) };
    const functionVariables = functionEnvironment(config, resources, {
      awsEndpoint: endpoint.url,
      region: location.region,
      slackApiUrl: slack.apiUrl,
    });
    // The catalog's smoke checks go to the load balancers' real ports (--lb-port, free ports in tests).
    const catalogEnv = { ...host, ...functionVariables, ...databases?.environment, ...options.environment };
    const smokeUrls = smokeUrlVariables(
      catalogFilePath(catalogEnv),
      catalogEnv,
      services.flatMap((service) => service.loadBalancers ?? []),
    );
    const environment = { ...functionVariables, ...smokeUrls, ...databases?.environment, ...options.environment };
    wiring = {
      env: { ...host, ...environment },
      aws: { endpoint: endpoint.url, region: location.region, credentials: DUMMY_CREDENTIALS },
    };
    const restoreEnvironment = installEnvironment(environment);
    teardown.add('environment', async () => restoreEnvironment());

    const client = new DynamoDBClient({
      endpoint: endpoint.url,
      region: location.region,
      credentials: DUMMY_CREDENTIALS,
    });
    await createTables(client, Object.fromEntries(Object.entries(resources).map(([id, { ref }]) => [id, ref])));
    client.destroy();

    const slackTokenParameter = environment.SLACK_TOKEN_PARAMETER;
    if (slackTokenParameter) {
      parameters.put({ name: slackTokenParameter, value: SANDBOX_SLACK_TOKEN, type: 'SecureString', overwrite: true });
    }
    const signingSecretParameter = environment.SLACK_SIGNING_SECRET_PARAMETER;
    if (signingSecretParameter) {
      parameters.put({
        name: signingSecretParameter,
        value: SANDBOX_SLACK_SIGNING_SECRET,
        type: 'SecureString',
        overwrite: true,
      });
    }
    const webhookSecretParameter = environment.GITHUB_WEBHOOK_SECRET_PARAMETER;
    if (webhookSecretParameter) {
      parameters.put({
        name: webhookSecretParameter,
        value: SANDBOX_GITHUB_WEBHOOK_SECRET,
        type: 'SecureString',
        overwrite: true,
      });
    }
    const player = slackPlayer({
      url: functionUrls.urls.slackCommand ?? '',
      signingSecret: SANDBOX_SLACK_SIGNING_SECRET,
      channelOf: (ts) => slack.messages().find((message) => message.ts === ts)?.channel,
    });

    // In force once the sandbox is set up: its own table creation never meets them.
    faults.add(...(options.faults ?? []));

    // Stopped first: no execution or delivery may run against servers that are going away.
    teardown.add('executions', () => stateMachines.close());
    teardown.add('event bus', () => eventBus.close());
    eventBus.startSchedules({ timeFactor, location });

    return {
      endpoint: endpoint.url,
      port: endpoint.port,
      location,
      timeFactor,
      slack: Object.assign(slack, player, { token: SANDBOX_SLACK_TOKEN, signingSecret: SANDBOX_SLACK_SIGNING_SECRET }),
      stateMachines,
      eventBus,
      parameters,
      lambda,
      setFunctionEnvironment: (variables) => {
        Object.assign(wired().env, variables);
        lambda.coldStartAll();
      },
      functionUrls: functionUrls.urls,
      environment,
      services,
      faults,
      databases,
      settled: async (execution) => {
        await execution.settled;
        return execution;
      },
      stop: () => teardown.run(),
    };
  } catch (error) {
    await teardown.run().catch(() => undefined);
    throw error;
  }
}

const DUMMY_CREDENTIALS = { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' };
