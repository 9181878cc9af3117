import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { Context } from 'aws-lambda';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { mockClient } from 'aws-sdk-client-mock';
import { readServerlessConfig } from '../../sandbox/serverless-config.ts';
import { functionKeyOf, lambdaTaskStates, loadDefinition } from '../../src/platform/asl-definition.ts';
import type { Wiring } from '../../src/platform/wiring.ts';
import { fakeLambdaContext, useFunctionEnvironment } from '../support/fake-lambda-context.ts';
import { startReleaseTables } from '../support/release-tables.ts';
import { ScriptedEcs } from '../support/scripted-ecs.ts';

// Runs state-machines/release.asl.yml itself with aws-local-stepfunctions; every
// Lambda task calls the real handler in-process. ECS, ECR and SSM are mocked
// (aws-sdk-client-mock over the real SDK clients, see ScriptedEcs); DynamoDB is
// a real dynalite; Slack is a local Web API that records what it is sent.
// Callback tasks (.waitForTaskToken) wait on task tokens the harness issues;
// SendTaskSuccess and SendTaskFailure (mocked SFN) answer them.

type Handler = (event: unknown, context: Context) => Promise<unknown>;
type JSONValue = Parameters<StateMachine['run']>[0];

export interface ReleaseRun {
  status: 'SUCCEEDED' | 'FAILED';
  /** The Fail state's (or the execution's) error name. */
  error?: string;
  output?: unknown;
  /** Every state entered, in order (Map iterations interleave when several run). */
  states: string[];
  /** Every state that was retried, once per retry. */
  retried: string[];
  /** What the Releases map returned, one entry per target; there also when the execution fails after it. */
  releases?: unknown[];
}

/** A Task whose Lambda invocation fails with `error` (as Lambda's own errors do, before the handler runs). */
export interface TaskFailure {
  state: string;
  error: string;
  /** How many invocations fail before the handler is called again; every one if omitted. */
  times?: number;
}

export interface SlackMessage {
  method: string;
  body: Record<string, unknown>;
  /** The message ts the stub answered with. */
  ts: string;
}

export interface Harness {
  ecs: ScriptedEcs;
  slack: SlackMessage[];
  /** Makes the Slack stub answer 503 (an outage). */
  slackDown: (down: boolean) => void;
  /** How many requests the Slack stub has refused while down. */
  slackRefused: () => number;
  dynamodb: DynamoDBClient;
  tables: Record<string, string>;
  run: (
    event: unknown,
    options?: {
      executionName?: string;
      started?: (abort: () => void) => void;
      /** Called as a Task state is entered (and on each retry), before its handler runs: lets a test change the world mid-run. */
      beforeTask?: (state: string, input: unknown) => void | Promise<void>;
      failTask?: TaskFailure;
      /** Answers a Task state instead of its function (e.g. canary-check's verdicts, which need real traffic). */
      stubTasks?: Record<string, (input: unknown) => unknown>;
    },
  ) => Promise<ReleaseRun>;
  /** The Slack signing secret slack-command reads from SSM. */
  signingSecret: string;
  /** The inputs of the executions StartExecution (mocked SFN) was asked to start. */
  started: unknown[];
  /** How many SendTaskSuccess / SendTaskFailure calls reached a waiting task. */
  callbacks: () => { success: number; failure: number };
  /** Calls a function's real handler directly, as a second invocation outside the execution would. */
  invoke: (functionKey: string, event: unknown) => Promise<unknown>;
  stop: () => Promise<void>;
}

async function startSlack(messages: SlackMessage[]) {
  let down = false;
  let refused = 0;
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      if (down) {
        refused++;
        response.writeHead(503).end();
        return;
      }
      const method = (request.url ?? '').replace(/^\/api\//, '');
      const parsed = Object.fromEntries(new URLSearchParams(body)) as Record<string, unknown>;
      const ts = `${Math.floor(Date.now() / 1000)}.${String(messages.length).padStart(6, '0')}`;
      messages.push({ method, body: parsed, ts });
      response.writeHead(200, { 'content-type': 'application/json' });
      // The user group S0RELEASERS has one member.
      const users =
        method === 'usergroups.users.list' && parsed.usergroup === 'S0RELEASERS' ? { users: ['U0GROUPIE'] } : {};
      response.end(JSON.stringify({ ok: true, channel: parsed.channel, ts, ...users }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
    setDown: (value: boolean) => {
      down = value;
    },
    refused: () => refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Starts the harness; `environment` adds to the functions' configuration (e.g. RELEASE_CATALOG_FILE, SMOKE_URL). */
export async function startHarness(environment: Record<string, string> = {}): Promise<Harness> {
  const dynamo = await startReleaseTables(`sm-${randomUUID().slice(0, 8)}`);
  const tables = dynamo.environment;
  const slack: SlackMessage[] = [];
  const slackServer = await startSlack(slack);

  // Where the SDK finds DynamoDB (ECS, ECR, SSM and SFN are mocked); the functions' own configuration is their wiring's.
  useFunctionEnvironment({ AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint });
  const env = {
    ...tables,
    SLACK_TOKEN_PARAMETER: '/release-automation/slack/bot-token',
    SLACK_SIGNING_SECRET_PARAMETER: '/release-automation/slack/signing-secret',
    RELEASE_STATE_MACHINE_NAME: 'release-automation-dev-release',
    ROTATION_STATE_MACHINE_NAME: 'release-automation-dev-rotation',
    SLACK_API_URL: slackServer.url,
    ...environment,
  };
  const ecs = new ScriptedEcs();
  const ssm = mockClient(SSMClient);
  ssm.on(GetParameterCommand).resolves({
    Parameter: {
      Name: '/release-automation/slack/bot-token',
      Type: 'SecureString',
      Value: 'xoxb-test-token',
      Version: 1,
    },
  });
  const signingSecret = 'test-signing-secret-8f3a1c';
  ssm.on(GetParameterCommand, { Name: '/release-automation/slack/signing-secret' }).resolves({
    Parameter: {
      Name: '/release-automation/slack/signing-secret',
      Type: 'SecureString',
      Value: signingSecret,
      Version: 1,
    },
  });
  const tokens = new Map<string, { resolve: (output: unknown) => void; reject: (error: Error) => void }>();
  const waiting = new Map<string, Promise<unknown>>();
  const callbacks = { success: 0, failure: 0 };
  const taskGone = () =>
    Object.assign(new Error('Task Timed Out or does not exist'), { name: 'TaskDoesNotExist', $fault: 'client' });
  const sfn = mockClient(SFNClient);
  sfn.on(SendTaskSuccessCommand).callsFake(({ taskToken, output }: { taskToken: string; output: string }) => {
    const task = tokens.get(taskToken);
    if (!task) throw taskGone();
    tokens.delete(taskToken);
    callbacks.success++;
    task.resolve(JSON.parse(output));
    return {};
  });
  sfn
    .on(SendTaskFailureCommand)
    .callsFake(({ taskToken, error, cause }: { taskToken: string; error: string; cause: string }) => {
      const task = tokens.get(taskToken);
      if (!task) throw taskGone();
      tokens.delete(taskToken);
      callbacks.failure++;
      task.reject(Object.assign(new Error(cause), { name: error }));
      return {};
    });
  const started: unknown[] = [];
  sfn.on(StartExecutionCommand).callsFake(({ name, input }: { name: string; input: string }) => {
    started.push(JSON.parse(input));
    return {
      executionArn: `arn:aws:states:us-east-1:123456789012:execution:release-automation-dev-release:${name}`,
      startDate: new Date(),
    };
  });
  let issued: string | undefined;
  const issueToken = () => {
    const token = `token-${randomUUID()}`;
    const { promise, resolve, reject } = Promise.withResolvers<unknown>();
    promise.catch(() => undefined);
    tokens.set(token, { resolve, reject });
    waiting.set(token, promise);
    issued = token;
    return token;
  };
  // A callback task: its function runs, then the task waits for its token's answer.
  const callbackTasks = new Map<string, string>();
  const definition = loadDefinition('release');
  for (const [name, state] of callbackStates(definition)) callbackTasks.set(name, state);

  const taskStates = new Map([...lambdaTaskStates(definition), ...callbackTasks]);
  const { functions } = await readServerlessConfig();
  const handlers = new Map<string, { handler: Handler; timeout: number }>();
  // Only the functions the machine runs: the others (function URLs) need configuration of their own.
  // …and slackCommand, through which the approval tests answer the machine's callbacks, and
  // abandon, which a stopped execution's status change event starts (abandon.test.ts).
  const used = new Set([...taskStates.values(), 'slackCommand', 'abandon']);
  for (const [key, fn] of Object.entries(functions).filter(([key]) => used.has(key))) {
    const module = (await import(`../../${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.ts`)) as {
      wire: (wiring: Wiring) => Handler;
    };
    handlers.set(key, { handler: module.wire({ env, aws: {} }), timeout: fn.timeout ?? 30 });
  }

  // Waits and retry back-offs take no time here: the paths are what is tested.
  const waits = ['WaitForTarget', 'WaitForStability', 'WaitForRollback', 'WaitForRollout'];
  const machine = new StateMachine(definition as unknown as StateMachineDefinition);

  const invoke: Harness['invoke'] = async (key, event) => {
    const fn = handlers.get(key);
    if (!fn) throw new Error(`no handler for function ${key}`);
    return fn.handler(event, fakeLambdaContext(key, fn.timeout));
  };

  const run: Harness['run'] = async (event, options = {}) => {
    const name = options.executionName ?? randomUUID();
    const { failTask } = options;
    let failures = 0;
    const execution = machine.run(event as JSONValue, {
      overrides: {
        taskResourceLocalHandlers: Object.fromEntries(
          [...taskStates].map(([state, key]) => [
            state,
            async (input: unknown) => {
              await options.beforeTask?.(state, input);
              if (failTask?.state === state && failures < (failTask.times ?? Number.POSITIVE_INFINITY)) {
                failures++;
                throw Object.assign(new Error(`${failTask.error} (scripted by the test)`), { name: failTask.error });
              }
              const stub = options.stubTasks?.[state];
              if (stub) return (await stub(input)) as never;
              if (callbackTasks.has(state)) {
                const token = issued;
                issued = undefined;
                await invoke(key, (input as { Payload?: unknown }).Payload);
                return (await (waiting.get(token ?? '') ?? Promise.reject(new Error('no task token')))) as never;
              }
              return (await invoke(key, input)) as never;
            },
          ]),
        ),
        waitTimeOverrides: Object.fromEntries(waits.map((state) => [state, 5])),
        retryIntervalOverrides: Object.fromEntries([...taskStates.keys()].map((state) => [state, 1])),
      },
      context: {
        Execution: {
          Id: `arn:aws:states:us-east-1:123456789012:execution:release-automation-dev-release:${name}`,
          Name: name,
          StartTime: new Date().toISOString(),
          Input: event as JSONValue,
        },
        // A getter: each callback task that reads $$.Task.Token gets a token of its own.
        Task: {
          get Token() {
            return issueToken();
          },
        },
      } as never,
    });
    options.started?.(execution.abort);
    const states: string[] = [];
    const retried: string[] = [];
    let releases: unknown[] | undefined;
    const collect = (async () => {
      for await (const entry of execution.eventLogs) {
        if (entry.type === 'StateEntered') states.push(entry.state.name);
        if (entry.type === 'StateRetried') retried.push(entry.state.name);
        if (entry.type === 'StateExited' && entry.state.name === 'Releases') {
          releases = (entry.state.output as { results?: unknown[] } | undefined)?.results;
        }
      }
    })();
    try {
      const output = await execution.result;
      await collect;
      return { status: 'SUCCEEDED', output, states, retried, releases };
    } catch (error) {
      await collect.catch(() => undefined);
      // ExecutionError wraps the Fail state's (or the uncaught) error as its cause.
      const { name, cause } = error as Error & { cause?: Error };
      return { status: 'FAILED', error: cause?.name ?? name, states, retried, releases };
    }
  };

  return {
    ecs,
    slack,
    slackDown: slackServer.setDown,
    slackRefused: slackServer.refused,
    dynamodb: dynamo.client,
    tables,
    run,
    invoke,
    signingSecret,
    started,
    callbacks: () => ({ ...callbacks }),
    stop: async () => {
      // A callback task of an aborted execution still waits for its token, and
      // its TimeoutSeconds timer with it: answered, the timer is cleared.
      for (const task of tokens.values()) task.reject(new Error('the harness stopped'));
      tokens.clear();
      ecs.restore();
      ssm.restore();
      sfn.restore();
      await slackServer.close();
      await dynamo.stop();
    },
  };
}

/** Every `lambda:invoke.waitForTaskToken` Task state with the function key its FunctionName names. */
function callbackStates(definition: Record<string, unknown>): [string, string][] {
  const found: [string, string][] = [];
  const visit = (states: unknown) => {
    if (states === null || typeof states !== 'object') return;
    for (const [name, state] of Object.entries(states as Record<string, Record<string, unknown>>)) {
      const parameters = state.Parameters as { FunctionName?: unknown } | undefined;
      if (
        state.Resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken' &&
        typeof parameters?.FunctionName === 'string'
      ) {
        found.push([name, functionKeyOf(parameters.FunctionName)]);
      }
      const processor = (state.ItemProcessor ?? state.Iterator) as Record<string, unknown> | undefined;
      if (processor) visit(processor.States);
    }
  };
  visit(definition.States);
  return found;
}
