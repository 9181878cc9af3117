import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { GetParameterCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { type PostgresServer, startPostgres } from '../../sandbox/postgres/server.ts';
import { type SlackStub, startSlackStub } from '../../sandbox/slack/stub.ts';
import { useFunctionEnvironment } from '../support/fake-lambda-context.ts';
import { type ReleaseTables, startReleaseTables } from '../support/release-tables.ts';
import { ScriptedEcs } from '../support/scripted-ecs.ts';
import { startSsmEmulator } from '../support/ssm-emulator.ts';
import { createMachineRunner, loadHandlers, type MachineRun, machineFunctions, type RunOptions } from './asl-runner.ts';

// The rotation machine's world, run by the one ASL runner (asl-runner.ts). Real: PostgreSQL (from npm),
// SSM (the sandbox's emulator, over HTTP), DynamoDB (dynalite), Slack (the sandbox's
// workspace). ECS is the scripted one (aws-sdk-client-mock, see ScriptedEcs). Every
// event of every execution is kept, and everything the functions log.

export const DB_PARAMETER = '/release-automation/test/shop/db';
export const API_KEY_PARAMETER = '/release-automation/test/api-key';
const ADMIN_PARAMETER = '/release-automation/test/postgres/admin';
// test/fixtures/catalog/rotation.yml checks the server's certificate against this (verify-full).
const CA_PARAMETER = '/release-automation/test/postgres/ca';
const SLACK_TOKEN_PARAMETER = '/release-automation/slack/bot-token';
const SLACK_TOKEN = 'xoxb-test-token';

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
  run(input: unknown, options?: Pick<RunOptions, 'failTask' | 'beforeTask'>): Promise<MachineRun>;
  /** The decrypted value of a parameter (the latest, or `name:label`), undefined when absent. */
  read(name: string): Promise<string | undefined>;
  stop(): Promise<void>;
}

export async function startRotationHarness(): Promise<RotationHarness> {
  const tables: ReleaseTables = await startReleaseTables(`rot-${randomUUID().slice(0, 8)}`);
  const postgres = await startPostgres({ port: 0 });
  await postgres.createDatabase('shop');
  const ssmEmulator = await startSsmEmulator();
  const slack = await startSlackStub({ port: 0, token: SLACK_TOKEN });
  const ssm = ssmEmulator.client;
  for (const [Name, Value] of [
    [ADMIN_PARAMETER, JSON.stringify(postgres.admin)],
    [SLACK_TOKEN_PARAMETER, SLACK_TOKEN],
  ] as const) {
    await ssm.send(new PutParameterCommand({ Name, Value, Type: 'SecureString' }));
  }
  await ssm.send(new PutParameterCommand({ Name: CA_PARAMETER, Value: postgres.ca, Type: 'String' }));

  // Where the SDK finds DynamoDB and SSM (two endpoints), and Powertools' logs on, to be searched.
  useFunctionEnvironment({
    AWS_ENDPOINT_URL_DYNAMODB: tables.endpoint,
    AWS_ENDPOINT_URL_SSM: ssmEmulator.url,
    POWERTOOLS_LOG_LEVEL: 'DEBUG',
  });
  // The functions' own configuration, given to them when wired.
  const env = {
    ...tables.environment,
    // The automation's own account and region (serverless.yml's provider.environment): where the catalog's targets live.
    AUTOMATION_ACCOUNT: '000000000000',
    AWS_REGION: 'us-east-1',
    SLACK_TOKEN_PARAMETER,
    SLACK_API_URL: slack.apiUrl,
    ROTATION_DB_PORT: String(postgres.port),
    RELEASE_CATALOG_FILE: fileURLToPath(new URL('../fixtures/catalog/rotation.yml', import.meta.url)),
  };
  const ecs = new ScriptedEcs();
  const machine = createMachineRunner('rotation', await loadHandlers(machineFunctions('rotation'), { env, aws: {} }), [
    'WaitForRoll',
    'WaitForRollBack',
  ]);

  const logs: string[] = [];
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

  return {
    ecs,
    tables,
    slack,
    postgres,
    ssm,
    events: machine.events,
    logs,
    run: (input, options) => machine.run(input, options),
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
      machine.stop();
      for (const restore of restoreStreams) restore();
      ecs.restore();
      await slack.close();
      await ssmEmulator.stop();
      await postgres.stop();
      await tables.stop();
    },
  };
}
