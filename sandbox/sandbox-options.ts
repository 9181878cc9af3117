// What a sandbox is started with and what it gives back: its options, its
// handle, and the defaults `npm start` and the library share. See sandbox/README.md.

import type { SandboxClock } from './clock.ts';
import type { CloudWatchEmulator } from './cloudwatch/emulator.ts';
import type { EventBus } from './eventbus/bus.ts';
import type { FaultInjector } from './faults/injector.ts';
import type { IamRoles } from './iam/roles.ts';
import type { RoleSpec } from './iam/seed.ts';
import type { SandboxLocation } from './lambda/functions.ts';
import type { LambdaHandler, WiredHandler } from './lambda/handlers.ts';
import type { LambdaInvoker } from './lambda/invoker.ts';
import type { SandboxDatabases } from './postgres/databases.ts';
import type { ServiceStarter, StartedService } from './service-starter.ts';
import type { SlackPlayer } from './slack/player.ts';
import type { SlackStub } from './slack/stub.ts';
import type { ParameterStore } from './ssm/parameter-store.ts';
import type { Execution } from './stepfunctions/execution.ts';
import type { StateMachineRunner } from './stepfunctions/runner.ts';
import type { StsSessions } from './sts/sessions.ts';

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
  /**
   * Handlers to run instead of serverless.yml's, by function key (tests inject stubs); a stub
   * `{ wire(wiring) }` is given the function's environment and endpoint, as a handler module's `wire` is.
   */
  handlers?: Record<string, LambdaHandler | WiredHandler>;
  /** The emulated ECS world; default: every starter in sandbox/services.ts. */
  services?: readonly ServiceStarter[];
  /**
   * More variables for the functions (they win over the sandbox's own, e.g.
   * the catalog's smoke URLs); given, like the rest, to each function as it is wired.
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
  /**
   * IAM roles to create at start, in any account (iam/seed.ts): what STS's
   * AssumeRole needs to hand out credentials for that account.
   */
  roles?: readonly RoleSpec[];
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
  /** The sandbox's clock (sandbox/clock.ts): CloudWatch's and scheduled events' time; `clock.advance(ms)` moves it on. */
  readonly clock: SandboxClock;
  /** CloudWatch: its metric store and alarms (`cloudwatch.alarms.describe()`). */
  readonly cloudwatch: CloudWatchEmulator;
  readonly parameters: ParameterStore;
  /** IAM's roles in every account (STS's AssumeRole assumes them); `seedRoles` (iam/seed.ts) adds more. */
  readonly roles: IamRoles;
  /** The sessions STS issued (`sessions.issued()`: role, session name; never keys), as CloudTrail records them. */
  readonly sessions: Pick<StsSessions, 'issued'>;
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
  /** The environment the functions run with (process.env is left as it was). */
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
