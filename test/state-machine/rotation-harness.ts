import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { GetParameterCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { Context } from 'aws-lambda';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { type PostgresServer, startPostgres } from '../../sandbox/postgres/server.ts';
import { lambdaTaskStates, loadDefinition } from '../../src/platform/asl-definition.ts';
import { fakeLambdaContext, useFunctionEnvironment } from '../support/fake-lambda-context.ts';
import { type ReleaseTables, startReleaseTables } from '../support/release-tables.ts';
import { ScriptedEcs } from '../support/scripted-ecs.ts';
import { type SlackStub, startSlackStub } from '../support/slack-stub.ts';
import { startSsmEmulator } from '../support/ssm-emulator.ts';

// Runs state-machines/rotation.asl.yml itself with aws-local-stepfunctions; each
// Lambda task calls the real handler in-process. Real: PostgreSQL (from npm),
// SSM (the sandbox's emulator, over HTTP), DynamoDB (dynalite), a Slack Web API
// stub. ECS is the scripted one (aws-sdk-client-mock, see ScriptedEcs). Every
// event of every execution is kept, and everything the functions log.

type Handler = (event: unknown, context: Context) => Promise<unknown>;
type JSONValue = Parameters<StateMachine['run']>[0];

export const DB_PARAMETER = '/release-automation/test/shop/db';
export const API_KEY_PARAMETER = '/release-automation/test/api-key';
const ADMIN_PARAMETER = '/release-automation/test/postgres/admin';
// test/fixtures/catalog/rotation.yml checks the server's certificate against this (verify-full).
const CA_PARAMETER = '/release-automation/test/postgres/ca';
const SLACK_TOKEN_PARAMETER = '/release-automation/slack/bot-token';
const FUNCTIONS = {
  rotateSecret: 'rotate-secret',
  rotateDependents: 'rotate-dependents',
  rotateRoll: 'rotate-roll',
  rotateRollback: 'rotate-rollback',
  rotateNotify: 'rotate-notify',
  waitStable: 'wait-stable',
} as const;

export interface RotationRun {
  status: 'SUCCEEDED' | 'FAILED';
  error?: string;
  output?: unknown;
  states: string[];
}

export interface RotationHarness {
  ecs: ScriptedEcs;
  /** dynalite with serverless.yml's tables (the rotation lock is in LOCKS_TABLE). */
  tables: ReleaseTables;
  slack: SlackStub;
  postgres: PostgresServer;
  ssm: SSMClient;
  /** Every execution event (state inputs, outputs, errors), as JSON. */
  events: string[];
  /** Every line the functions wrote to stdout or stderr (their logs). */
  logs: string[];
  run(
    input: unknown,
    options?: {
      /** Answers a Task state with this error instead of calling its function. */
      failTask?: { state: string; error: string };
      /** Called as a Task state is entered, before its handler runs. */
      beforeTask?: (state: string) => Promise<void>;
    },
  ): Promise<RotationRun>;
  /** The decrypted value of a parameter (the latest, or `name:label`), undefined when absent. */
  read(name: string): Promise<string | undefined>;
  stop(): Promise<void>;
}

export async function startRotationHarness(): Promise<RotationHarness> {
  const tables: ReleaseTables = await startReleaseTables(`rot-${randomUUID().slice(0, 8)}`);
  const postgres = await startPostgres({ port: 0 });
  await postgres.createDatabase('shop');
  const ssmEmulator = await startSsmEmulator();
  const slack = await startSlackStub();
  const ssm = ssmEmulator.client;
  for (const [Name, Value] of [
    [ADMIN_PARAMETER, JSON.stringify(postgres.admin)],
    [SLACK_TOKEN_PARAMETER, 'xoxb-test-token'],
  ] as const) {
    await ssm.send(new PutParameterCommand({ Name, Value, Type: 'SecureString' }));
  }
  await ssm.send(new PutParameterCommand({ Name: CA_PARAMETER, Value: postgres.ca, Type: 'String' }));

  // The functions read their configuration at import: set it first. Logs on, to be searched.
  useFunctionEnvironment({
    ...tables.environment,
    AWS_ENDPOINT_URL_DYNAMODB: tables.endpoint,
    AWS_ENDPOINT_URL_SSM: ssmEmulator.url,
    SLACK_TOKEN_PARAMETER,
    SLACK_API_URL: slack.slackApiUrl,
    POWERTOOLS_LOG_LEVEL: 'DEBUG',
    ROTATION_DB_PORT: String(postgres.port),
    RELEASE_CATALOG_FILE: fileURLToPath(new URL('../fixtures/catalog/rotation.yml', import.meta.url)),
  });
  const ecs = new ScriptedEcs();
  const handlers = new Map<string, Handler>();
  for (const [key, folder] of Object.entries(FUNCTIONS)) {
    const module = (await import(`../../functions/${folder}/handler.ts`)) as { handler: Handler };
    handlers.set(key, module.handler);
  }

  const logs: string[] = [];
  const events: string[] = [];
  const capture = (stream: NodeJS.WriteStream) => {
    const write = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: never[]) => {
      logs.push(String(chunk));
      // The functions' JSON log lines are kept for the test, not printed; anything else passes.
      return String(chunk).startsWith('{"level"') ? true : write(chunk as string, ...rest);
    }) as typeof stream.write;
    return () => {
      stream.write = write;
    };
  };
  const restoreStreams = [capture(process.stdout), capture(process.stderr)];

  const definition = loadDefinition('rotation');
  const taskStates = lambdaTaskStates(definition);
  const machine = new StateMachine(definition as unknown as StateMachineDefinition);

  const run: RotationHarness['run'] = async (input, options = {}) => {
    const name = randomUUID();
    const execution = machine.run(input as JSONValue, {
      overrides: {
        taskResourceLocalHandlers: Object.fromEntries(
          [...taskStates].map(([state, key]) => [
            state,
            async (stateInput: unknown) => {
              await options.beforeTask?.(state);
              if (options.failTask?.state === state) {
                throw Object.assign(new Error(`${options.failTask.error} (scripted by the test)`), {
                  name: options.failTask.error,
                });
              }
              const handler = handlers.get(key);
              if (!handler) throw new Error(`no handler for function ${key}`);
              return (await handler(stateInput, fakeLambdaContext(key, 60))) as never;
            },
          ]),
        ),
        waitTimeOverrides: { WaitForRoll: 5, WaitForRollBack: 5 },
        retryIntervalOverrides: Object.fromEntries([...taskStates.keys()].map((state) => [state, 1])),
      },
      context: {
        Execution: {
          Id: `arn:aws:states:us-east-1:123456789012:execution:release-automation-dev-rotation:${name}`,
          Name: name,
          StartTime: new Date().toISOString(),
          Input: input as JSONValue,
        },
      },
    });
    const states: string[] = [];
    const collect = (async () => {
      for await (const entry of execution.eventLogs) {
        events.push(JSON.stringify(entry));
        if (entry.type === 'StateEntered') states.push(entry.state.name);
      }
    })();
    try {
      const output = await execution.result;
      await collect;
      events.push(JSON.stringify(output));
      return { status: 'SUCCEEDED', output, states };
    } catch (error) {
      await collect.catch(() => undefined);
      const { name: errorName, cause } = error as Error & { cause?: Error };
      return { status: 'FAILED', error: cause?.name ?? errorName, states };
    }
  };

  return {
    ecs,
    tables,
    slack,
    postgres,
    ssm,
    events,
    logs,
    run,
    async read(name) {
      try {
        const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
        return Parameter?.Value;
      } catch (error) {
        if ((error as Error).name === 'ParameterNotFound' || (error as Error).name === 'ParameterVersionNotFound') {
          return undefined;
        }
        throw error;
      }
    },
    async stop() {
      for (const restore of restoreStreams) restore();
      ecs.restore();
      await slack.stop();
      await ssmEmulator.stop();
      await postgres.stop();
      await tables.stop();
    },
  };
}
