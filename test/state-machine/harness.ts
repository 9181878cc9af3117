import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { type SlackStub, startSlackStub } from '../../sandbox/slack/stub.ts';
import { FUNCTION_HOME, useFunctionEnvironment } from '../support/fake-lambda-context.ts';
import { startReleaseTables } from '../support/release-tables.ts';
import { ScriptedEcs } from '../support/scripted-ecs.ts';
import { createMachineRunner, loadHandlers, type MachineRunner, machineFunctions } from './asl-runner.ts';

// The release machine's world, run by the one ASL runner (asl-runner.ts). ECS, ECR and SSM are mocked
// (aws-sdk-client-mock over the real SDK clients, see ScriptedEcs); DynamoDB is
// a real dynalite; Slack is the sandbox's workspace, which keeps every call.
// SendTaskSuccess and SendTaskFailure (mocked SFN) answer the runner's task tokens.

export type { MachineRun as ReleaseRun, TaskFailure } from './asl-runner.ts';

/** What every release-machine harness has, whatever answers for ECS. */
export interface MachineWorld {
  /** The sandbox's Slack: `calls` holds every Web API call and its answer. */
  slack: SlackStub;
  /** Makes Slack answer 503 (an outage). */
  slackDown: (down: boolean) => void;
  /** How many calls Slack has refused while down. */
  slackRefused: () => number;
  dynamodb: DynamoDBClient;
  tables: Record<string, string>;
  run: MachineRunner['run'];
  /** The Slack signing secret slack-command reads from SSM. */
  signingSecret: string;
  /** The inputs of the executions StartExecution (mocked SFN) was asked to start. */
  started: unknown[];
  /** How many SendTaskSuccess / SendTaskFailure calls reached a waiting task. */
  callbacks: () => { success: number; failure: number };
  /** Calls a function's real handler directly, as a second invocation outside the execution would. */
  invoke: MachineRunner['invoke'];
  /** Pauses (or resumes) reconcileWaits' schedule: a test that counts ECS's calls of one look. */
  pauseReconcile: (paused: boolean) => void;
  /** Puts the world back as each test expects to find it. */
  reset: () => void;
  stop: () => Promise<void>;
}

/** The release machine over the scripted ECS (test/support/scripted-ecs.ts). */
export interface Harness extends MachineWorld {
  ecs: ScriptedEcs;
}

const SLACK_TOKEN = 'xoxb-test-token';

/** Starts the harness; `environment` adds to the functions' configuration (e.g. RELEASE_CATALOG_FILE, SMOKE_URL). */
export async function startHarness(environment: Record<string, string> = {}): Promise<Harness> {
  const ecs = new ScriptedEcs();
  const world = await startMachineWorld(environment);
  return {
    ...world,
    ecs,
    reset: () => {
      world.reset();
      ecs.release();
    },
    stop: async () => {
      ecs.restore();
      await world.stop();
    },
  };
}

/** What answers for the AWS services the machine's functions call beside DynamoDB, SSM and Step Functions. */
export interface MachineWorldOptions {
  /** More of the SDK's service endpoints (`AWS_ENDPOINT_URL_ECS`, ...): services not mocked here. */
  endpoints?: Record<string, string>;
  /** How long the machine's Wait states take (ms); 5 unless given. */
  waitMs?: number;
  /**
   * How often reconcileWaits runs (ms), as its schedule would: what answers the machine's
   * waits on ECS when no test delivers an ECS event. 0: never (a test runs it itself).
   */
  reconcileMs?: number;
}

/**
 * The release machine's world but ECS: dynalite, the sandbox's Slack, SSM and SFN mocked, the
 * functions' handlers; `environment` adds to the functions' configuration.
 */
export async function startMachineWorld(
  environment: Record<string, string>,
  options: MachineWorldOptions = {},
): Promise<MachineWorld> {
  const dynamo = await startReleaseTables(`sm-${randomUUID().slice(0, 8)}`);
  const tables = dynamo.environment;
  const slack = await startSlackStub({ port: 0, token: SLACK_TOKEN });
  // The user group S0RELEASERS has one member.
  slack.setGroup('S0RELEASERS', ['U0GROUPIE']);

  // Where the SDK finds DynamoDB (ECS, ECR, SSM and SFN are mocked); the functions' own configuration is their wiring's.
  useFunctionEnvironment({ AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, ...options.endpoints });
  const env = {
    ...tables,
    SLACK_TOKEN_PARAMETER: '/release-automation/slack/bot-token',
    SLACK_SIGNING_SECRET_PARAMETER: '/release-automation/slack/signing-secret',
    RELEASE_STATE_MACHINE_NAME: 'release-automation-dev-release',
    ROTATION_STATE_MACHINE_NAME: 'release-automation-dev-rotation',
    SLACK_API_URL: slack.apiUrl,
    ...FUNCTION_HOME,
    ...environment,
  };
  const ssm = mockClient(SSMClient);
  ssm.on(GetParameterCommand).resolves({
    Parameter: {
      Name: '/release-automation/slack/bot-token',
      Type: 'SecureString',
      Value: SLACK_TOKEN,
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
  // Only the functions the machine runs: the others (function URLs) need configuration of their own.
  // …and slackCommand, through which the approval tests answer the machine's callbacks, and
  // abandon, which a stopped execution's status change event starts (abandon.test.ts).
  // …and ecsEvents and reconcileWaits, which answer the machine's waits on ECS (awaitDeployment).
  const handlers = await loadHandlers(
    [...machineFunctions('release'), 'slackCommand', 'abandon', 'ecsEvents', 'reconcileWaits'],
    { env, aws: {} },
  );
  const machine = createMachineRunner('release', handlers, ['WaitForTarget', 'WaitForRollout'], options.waitMs);
  const callbacks = { success: 0, failure: 0 };
  const taskGone = () =>
    Object.assign(new Error('Task Timed Out or does not exist'), { name: 'TaskDoesNotExist', $fault: 'client' });
  const sfn = mockClient(SFNClient);
  sfn.on(SendTaskSuccessCommand).callsFake(({ taskToken, output }: { taskToken: string; output: string }) => {
    if (!machine.answer(taskToken, { output: JSON.parse(output) })) throw taskGone();
    callbacks.success++;
    return {};
  });
  sfn
    .on(SendTaskFailureCommand)
    .callsFake(({ taskToken, error, cause }: { taskToken: string; error: string; cause: string }) => {
      if (!machine.answer(taskToken, { error: Object.assign(new Error(cause), { name: error }) })) throw taskGone();
      callbacks.failure++;
      return {};
    });
  sfn.on(SendTaskHeartbeatCommand).callsFake(({ taskToken }: { taskToken: string }) => {
    if (!machine.isWaiting(taskToken)) throw taskGone();
    return {};
  });
  // reconcileWaits' schedule, at the machine's pace (one run at a time, as its reserved concurrency of 1).
  const reconcileMs = options.reconcileMs ?? Math.max(options.waitMs ?? 5, 20);
  let reconciling = false;
  let paused = false;
  const reconciler =
    reconcileMs > 0
      ? setInterval(() => {
          if (reconciling || paused) return;
          reconciling = true;
          machine
            .invoke('reconcileWaits', {})
            .catch(() => undefined)
            .finally(() => {
              reconciling = false;
            });
        }, reconcileMs).unref()
      : undefined;
  const started: unknown[] = [];
  sfn.on(StartExecutionCommand).callsFake(({ name, input }: { name: string; input: string }) => {
    started.push(JSON.parse(input));
    return {
      executionArn: `arn:aws:states:us-east-1:123456789012:execution:release-automation-dev-release:${name}`,
      startDate: new Date(),
    };
  });

  return {
    slack,
    slackDown: (down) => slack.outage(down ? 503 : undefined),
    slackRefused: () => slack.calls.filter((call) => call.answer === undefined).length,
    dynamodb: dynamo.client,
    tables,
    run: machine.run,
    invoke: machine.invoke,
    pauseReconcile: (pause) => {
      paused = pause;
    },
    signingSecret,
    started,
    callbacks: () => ({ ...callbacks }),
    reset: () => {
      paused = false;
    },
    stop: async () => {
      // A callback task of an aborted execution still waits for its token, and
      // its TimeoutSeconds timer with it: answered, the timer is cleared.
      clearInterval(reconciler);
      machine.stop();
      ssm.restore();
      sfn.restore();
      await slack.close();
      await dynamo.stop();
    },
  };
}
