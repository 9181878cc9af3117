// The sandbox: the whole system on one machine, no AWS account. One call
// starts every server on loopback and wires the functions to them; stop()
// closes every server and timer again. See sandbox/README.md.
//
// Several sandboxes may run in one process: the functions run in-process,
// each wired by its module's `wire` with this sandbox's own environment,
// endpoint and credentials (nothing is read from the environment at import), so
// each sandbox's functions reach its own servers. process.env is read (the
// shell's variables reach the functions) but never written: Powertools gets its
// POWERTOOLS_* settings from each function's own environment, as it is wired.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { catalogFilePath } from '../src/catalog/index.ts';
import { SANDBOX_STACK_OUTPUTS_PATH } from '../src/doctor/wiring.ts';
import { processEnvironment } from '../src/platform/index.ts';
import type { Wiring } from '../src/platform/wiring.ts';
import { startAwsEndpoint } from './aws/server.ts';
import type { AwsServiceEmulator } from './aws/service.ts';
import { catalogPlacements, setUpCatalogAccounts } from './catalog-accounts.ts';
import { SandboxClock } from './clock.ts';
import { snsAlarmEvent, templateAlarms, topicSubscribers } from './cloudwatch/alarm-resources.ts';
import { CloudWatchEmulator } from './cloudwatch/emulator.ts';
import { MetricStore } from './cloudwatch/metric-store.ts';
import { guardAgainstCrashes, inSandbox } from './crash-guard.ts';
import { startLocalDynamoDb } from './dynamodb/emulator.ts';
import { createTables, deployedTables } from './dynamodb/tables.ts';
import { deliveryLog, EventBus } from './eventbus/bus.ts';
import { createEventBridgeEmulator } from './eventbus/emulator.ts';
import { EventForwarding } from './eventbus/forwarding.ts';
import { busResources, declaredBuses, eventRules } from './eventbus/rules.ts';
import { FAULTS_PATH, faultsRoute } from './faults/http.ts';
import { FaultInjector } from './faults/injector.ts';
import { IamEmulator } from './iam/emulator.ts';
import { IamRoles } from './iam/roles.ts';
import { seedRoles } from './iam/seed.ts';
import { timeScaledHandlers } from './lambda/analysis-time.ts';
import { functionEnvironment } from './lambda/environment.ts';
import { startFunctionUrls } from './lambda/function-urls.ts';
import { lambdaFunctions, type SandboxLocation } from './lambda/functions.ts';
import { LambdaInvoker } from './lambda/invoker.ts';
import { smokeUrlVariables } from './lambda/smoke-urls.ts';
import { startDatabases } from './postgres/databases.ts';
import {
  DEFAULT_DEMO_TRAFFIC,
  DEFAULT_LB_PORT,
  DEFAULT_PORT,
  DEFAULT_SLACK_PORT,
  DEFAULT_TIME_FACTOR,
  SANDBOX_SLACK_TOKEN,
  type Sandbox,
  type SandboxOptions,
} from './sandbox-options.ts';
import { readServerlessConfig } from './serverless-config.ts';
import type { StartedService } from './service-starter.ts';
import { serviceStarters } from './services.ts';
import { SANDBOX_SLACK_SIGNING_SECRET, slackPlayer } from './slack/player.ts';
import { startSlackStub } from './slack/stub.ts';
import { seedAppSecrets } from './ssm/app-secrets.ts';
import { createSsmEmulator } from './ssm/emulator.ts';
import { ParameterStore } from './ssm/parameter-store.ts';
import { secretValue } from './ssm/secret-value.ts';
import { sandboxStackOutputs } from './stack-outputs.ts';
import { createStepFunctionsEmulator } from './stepfunctions/emulator.ts';
import { executionEnded, executionStarted } from './stepfunctions/execution-metrics.ts';
import { executionSummary } from './stepfunctions/execution-summary.ts';
import { StateMachineRunner } from './stepfunctions/runner.ts';
import { executionStatusChange } from './stepfunctions/status-events.ts';
import { TaskTokens } from './stepfunctions/task-tokens.ts';
import { StsEmulator } from './sts/emulator.ts';
import { StsSessions } from './sts/sessions.ts';
import { Teardown } from './teardown.ts';

export {
  DEFAULT_DEMO_TRAFFIC,
  DEFAULT_LB_PORT,
  DEFAULT_PORT,
  DEFAULT_SHOP_LB_PORT,
  DEFAULT_SLACK_PORT,
  DEFAULT_TIME_FACTOR,
  SANDBOX_GITHUB_WEBHOOK_SECRET,
  SANDBOX_SLACK_TOKEN,
  type Sandbox,
  type SandboxOptions,
} from './sandbox-options.ts';

const ACCOUNT_ID = '000000000000';
/** `GET` on the AWS endpoint: `{ "<function key>": "<function URL>" }`. */
export const FUNCTION_URLS_PATH = '/_sandbox/function-urls';
/** `GET` on the AWS endpoint: the variables the sandbox gives its functions' catalog (its smoke URLs), by name. */
export const CATALOG_VARIABLES_PATH = '/_sandbox/catalog-variables';

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
    const clock = new SandboxClock();
    // Every account's roles, and the sessions STS issues for them: requests signed with those act in the role's account.
    const roles = new IamRoles();
    seedRoles(roles, options.roles ?? []);
    const sessions = new StsSessions({ now: () => clock.now() });
    // A topic's messages go to the functions subscribed to it (there is no SNS API): cloudwatch/alarm-resources.ts.
    const subscribers = topicSubscribers(config, location);
    const cloudwatch = new CloudWatchEmulator(new MetricStore({ now: () => clock.now() }), {
      location,
      notify: (topic, notification) => {
        print(`⏰ alarm ${notification.AlarmName} ${notification.OldStateValue} → ${notification.NewStateValue}`);
        for (const key of subscribers.get(topic) ?? []) {
          lambda.invoke(key, snsAlarmEvent(topic, notification)).catch((error: unknown) => {
            print(
              `  ${key} failed on the alarm notification: ${error instanceof Error ? error.message : String(error)}`,
            );
          });
        }
      },
    });
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
        executionStarted(cloudwatch.store, execution);
        print(`▶ ${execution.stateMachine.name} ${execution.name} started`);
        eventBus.publish(executionStatusChange(execution, location));
      },
      onEnd: (execution) => {
        executionEnded(cloudwatch.store, execution);
        print(executionSummary(execution));
        eventBus.publish(executionStatusChange(execution, location));
      },
    });

    // Before the bus: its event-delivery faults (drop, delay, duplicate) are the injector's rules too.
    const faults = new FaultInjector(options.faultRandom ? { random: options.faultRandom } : {});
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
      fate: (event) => faults.eventFate(event.source),
      ...deliveryLog(print),
    });

    // The accounts and regions whose ECR and ECS events reach the bus: the sandbox's own, and the catalog's once read (below).
    const forwarding = new EventForwarding(location);

    // Before the services: their tasks read the seeded credential when they start.
    const databases = options.postgres
      ? await startDatabases({ ...options.postgres, env: { ...host, ...options.environment }, parameters })
      : undefined;
    if (databases) teardown.add('PostgreSQL', () => databases.stop());

    const lbPorts = options.lbPorts ?? { web: DEFAULT_LB_PORT };
    // The demo's services run, and keep their images, where the catalog says (config/catalog.yml: production
    // in 222222222222/us-west-2, images in 333333333333's ECR).
    const catalogRead = { ...host, ...options.environment };
    const placements = catalogPlacements(catalogFilePath(catalogRead), catalogRead, location);
    const services: StartedService[] = [];
    for (const start of options.services ?? serviceStarters) {
      const service = await start({
        location,
        timeFactor,
        publishEvent: (event) => {
          if (forwarding.reaches(event)) eventBus.publish(event);
          else
            print(
              `⤫ ${event.source} ${event['detail-type']} in ${event.account}/${event.region} stays there: no rule forwards it (the catalog does not name it)`,
            );
        },
        lbPorts,
        demoTrafficPerSecond: options.demoTrafficPerSecond ?? DEFAULT_DEMO_TRAFFIC,
        print,
        resolveSecret: async (valueFrom) => secretValue(parameters, valueFrom),
        databases: databases?.services ?? {},
        cloudwatch,
        placementOf: (service) => placements.get(service),
      });
      services.push(service);
      teardown.add('service', () => service.close());
    }

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
      new IamEmulator(roles, location),
      new StsEmulator({ roles, sessions }, location),
      ...services.flatMap((service) => service.emulators),
    ];
    // The ECS world serves the sandbox's CloudWatch; without it (other services), the core does.
    if (!emulators.includes(cloudwatch)) emulators.push(cloudwatch);
    const functionUrls = await startFunctionUrls({
      config,
      invoker: lambda,
      region: location.region,
      basePort: options.functionUrlPort ?? 0,
      print,
    });
    teardown.add('function URLs', () => functionUrls.close());
    // Known once the tables and the functions' environment are (below).
    let stackOutputs: Record<string, string> | undefined;
    let catalogVariables: Record<string, string> | undefined;
    const endpoint = await startAwsEndpoint({
      port: options.port ?? DEFAULT_PORT,
      emulators: emulators.map((emulator) => faults.wrap(emulator)),
      log: print,
      // Keys of twelve digits act as that account, STS's as their role's; any other as the sandbox's own.
      home: location,
      sessions: sessions.lookup,
      routes: {
        [FAULTS_PATH]: faultsRoute(faults),
        // How CLI helpers that sign webhooks and Slack requests find the function URLs from the endpoint.
        [FUNCTION_URLS_PATH]: async (method) =>
          method === 'GET'
            ? { status: 200, body: functionUrls.urls }
            : { status: 405, body: { error: `${method} is not supported: GET` } },
        // What DescribeStacks' outputs say in AWS, for `release doctor` and `release slack-manifest`.
        [SANDBOX_STACK_OUTPUTS_PATH]: async (method) => {
          if (method !== 'GET') return { status: 405, body: { error: `${method} is not supported: GET` } };
          return stackOutputs
            ? { status: 200, body: stackOutputs }
            : { status: 503, body: { error: 'the sandbox is still starting' } };
        },
        // The variables that point the catalog's smoke URLs at this sandbox's load balancers, as its functions read them.
        [CATALOG_VARIABLES_PATH]: async (method) => {
          if (method !== 'GET') return { status: 405, body: { error: `${method} is not supported: GET` } };
          return catalogVariables
            ? { status: 200, body: catalogVariables }
            : { status: 503, body: { error: 'the sandbox is still starting' } };
        },
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
      accountId: location.accountId,
      slackApiUrl: slack.apiUrl,
    });
    stackOutputs = sandboxStackOutputs({
      functionUrls: functionUrls.urls,
      stateMachines,
      resources,
      environment: functionVariables,
    });
    // The catalog's smoke checks go to the load balancers' real ports (--lb-port, free ports in tests).
    const catalogEnv = { ...host, ...functionVariables, ...databases?.environment, ...options.environment };
    const smokeUrls = smokeUrlVariables(
      catalogFilePath(catalogEnv),
      catalogEnv,
      services.flatMap((service) => service.loadBalancers ?? []),
    );
    catalogVariables = smokeUrls;
    // Before any function runs: the catalog's roles exist in their accounts, and its accounts forward their events.
    setUpCatalogAccounts(catalogFilePath(catalogEnv), catalogEnv, { home: location, roles, forwarding, print });
    const environment = { ...functionVariables, ...smokeUrls, ...databases?.environment, ...options.environment };
    wiring = {
      env: { ...host, ...environment },
      aws: { endpoint: endpoint.url, region: location.region, credentials: DUMMY_CREDENTIALS },
    };

    const client = new DynamoDBClient({
      endpoint: endpoint.url,
      region: location.region,
      credentials: DUMMY_CREDENTIALS,
    });
    await createTables(client, Object.fromEntries(Object.entries(resources).map(([id, { ref }]) => [id, ref])));
    client.destroy();

    seedAppSecrets(parameters, environment);
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
    eventBus.startSchedules({ timeFactor, location, eventTime: () => clock.now() });
    await createTemplateAlarms(cloudwatch, config, location, print);
    // Each minute of the sandbox's time, and at once when its clock advances.
    cloudwatch.startAlarms(Math.max(250, 60_000 * timeFactor));
    const stopFollowingClock = clock.onAdvance(() => cloudwatch.evaluateAlarms());
    teardown.add('alarms', async () => {
      stopFollowingClock();
      cloudwatch.stopAlarms();
    });

    return {
      endpoint: endpoint.url,
      port: endpoint.port,
      location,
      timeFactor,
      slack: Object.assign(slack, player, { token: SANDBOX_SLACK_TOKEN, signingSecret: SANDBOX_SLACK_SIGNING_SECRET }),
      stateMachines,
      eventBus,
      clock,
      cloudwatch,
      parameters,
      roles,
      sessions,
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

/** The template's alarms, through PutMetricAlarm; those naming what the sandbox lacks are skipped, and said so. */
async function createTemplateAlarms(
  cloudwatch: CloudWatchEmulator,
  config: Awaited<ReturnType<typeof readServerlessConfig>>,
  location: SandboxLocation,
  print: (line: string) => void,
): Promise<void> {
  const { alarms, skipped } = templateAlarms(config, location);
  for (const { input } of alarms) await cloudwatch.handle('PutMetricAlarm', input);
  for (const { logicalId, reason } of skipped) print(`  alarm ${logicalId} not created: ${reason}`);
}

const DUMMY_CREDENTIALS = { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' };
