import { readFileSync } from 'node:fs';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Context } from 'aws-lambda';
import { type Sandbox, startSandbox } from '../../sandbox/index.ts';
import type { Wiring } from '../../src/platform/wiring.ts';
import { awsCli, describeWithAwsCli } from '../e2e/support/aws-cli.ts';
import { STABILITY_WAIT, SUCCEEDED_AFTER_STABLE, THROUGH_DEPLOY } from '../support/release-paths.ts';
import { sdkConfig } from './support/clients.ts';

// The real release definition (serverless.yml → state-machines/release.asl.yml)
// run by the sandbox, with stub handlers injected in place of functions/*: the
// runner, the Step Functions API and the histories are what is tested here.

const push = JSON.parse(readFileSync(new URL('../../events/aws.ecr/push.json', import.meta.url), 'utf8'));
// As plan gives it: where the target lives too (the steps' input carries it).
const target = {
  service: 'web',
  environment: 'staging',
  cluster: 'sandbox',
  ecsService: 'web',
  smoke: [],
  access: { account: '000000000000', region: 'us-east-1' },
};

interface Seen {
  event: unknown;
  context: Context;
  env: Record<string, string | undefined>;
}

let sandbox: Sandbox;
let sfn: SFNClient;
let stateMachineArn: string;
const seen = new Map<string, Seen[]>();
/** What each stub does; tests replace entries. */
let behaviour: Record<string, (event: unknown) => Promise<unknown>>;

const defaults = (): typeof behaviour => ({
  plan: async (event) => ({
    releases: [{ releaseId: `${(event as { id: string }).id}:web`, target }],
    refusedTargets: [],
  }),
  claim: async () => ({ status: 'ACQUIRED' }),
  notify: async () => ({ delivered: true }),
  deploy: async () => ({ serviceDeploymentArn: 'arn:sd/1', taskDefinitionArn: 'arn:td/web:2', deadline: 'later' }),
  waitStable: async () => ({ status: 'SUCCESSFUL' }),
  // Answers its own task at once, as awaitDeployment does for a deployment already over.
  awaitDeployment: async (event) => {
    const { taskToken } = event as { taskToken: string };
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ status: 'SUCCESSFUL' }) }));
    return { waiting: false };
  },
  smokeTest: async () => ({ passed: 1 }),
  rollback: async () => ({ serviceDeploymentArn: 'arn:sd/2', taskDefinitionArn: 'arn:td/web:1', deadline: 'later' }),
  finish: async () => ({ recorded: true }),
});

// Wired as the functions are: each stub sees the environment its function is given.
const stub = (key: string) => ({
  wire:
    ({ env }: Wiring) =>
    async (event: unknown, context: Context) => {
      const calls = seen.get(key) ?? [];
      calls.push({ event, context, env: { ...env } });
      seen.set(key, calls);
      const run = behaviour[key];
      if (!run) throw new Error(`no behaviour for ${key}`);
      return run(event);
    },
});

async function settled(executionArn: string): Promise<DescribeExecutionCommandOutput> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') return described;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${executionArn} still running`);
}

async function history(executionArn: string): Promise<HistoryEvent[]> {
  return (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
}

function gate() {
  const { promise, resolve } = Promise.withResolvers<void>();
  return { opened: promise, open: () => resolve() };
}

beforeAll(async () => {
  const keys = [
    'plan',
    'claim',
    'notify',
    'deploy',
    'waitStable',
    'awaitDeployment',
    'smokeTest',
    'rollback',
    'finish',
  ];
  sandbox = await startSandbox({
    port: 0,
    slackPort: 0,
    quiet: true,
    timeFactor: 0.02,
    services: [],
    handlers: Object.fromEntries(keys.map((key) => [key, stub(key)])),
  });
  sfn = new SFNClient(sdkConfig(sandbox.endpoint));
  const machines = await sfn.send(new ListStateMachinesCommand({}));
  stateMachineArn = machines.stateMachines?.[0]?.stateMachineArn ?? '';
});

afterAll(async () => {
  sfn?.destroy();
  await sandbox?.stop();
});

beforeEach(() => {
  behaviour = defaults();
  seen.clear();
});

describe('the sandbox runs serverless.yml state machines', () => {
  it('lists the release state machine under its deployed name', () => {
    expect(stateMachineArn).toBe('arn:aws:states:us-east-1:000000000000:stateMachine:release-automation-dev-release');
  });

  it('runs the release definition with the functions in-process, reported as Step Functions does', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(push) }),
    );
    const described = await settled(executionArn ?? '');
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.input ?? '')).toEqual(push);
    expect(JSON.parse(described.output ?? '')).toMatchObject({ releases: [{ outcome: 'SUCCEEDED', service: 'web' }] });
    expect(described.startDate).toBeInstanceOf(Date);
    expect(described.stopDate?.getTime()).toBeGreaterThanOrEqual(described.startDate?.getTime() ?? 0);

    const events = await history(executionArn ?? '');
    expect(events.map((event) => event.id)).toEqual(events.map((_, index) => index + 1));
    expect(events[0]).toMatchObject({ type: 'ExecutionStarted', previousEventId: 0 });
    expect(JSON.parse(events[0]?.executionStartedEventDetails?.input ?? '')).toEqual(push);
    expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
    const entered = events
      .filter((event) => event.type?.endsWith('StateEntered'))
      .map((event) => event.stateEnteredEventDetails?.name);
    expect(entered).toEqual([...THROUGH_DEPLOY, ...STABILITY_WAIT, ...SUCCEEDED_AFTER_STABLE]);
    // Every invocation follows the TaskStateEntered that caused it.
    events.forEach((event, index) => {
      if (event.type === 'LambdaFunctionScheduled') expect(events[index - 1]?.type).toBe('TaskStateEntered');
    });
    const scheduled = events.find((event) => event.type === 'LambdaFunctionScheduled');
    expect(scheduled?.lambdaFunctionScheduledEventDetails?.resource).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:release-automation-dev-plan',
    );
    expect(events.filter((event) => event.type === 'LambdaFunctionSucceeded')).toHaveLength(7);
    // AwaitStability, a callback task: Task* events, answered by SendTaskSuccess.
    expect(events.filter((event) => event.type === 'TaskSubmitted')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'TaskSucceeded')).toHaveLength(1);
    expect(events.find((event) => event.type === 'MapStateStarted')?.mapStateStartedEventDetails?.length).toBe(1);
    expect(events.some((event) => event.type === 'MapIterationSucceeded')).toBe(true);
  });

  it('gives each function a Lambda context and the environment serverless.yml declares, pointed at the sandbox', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(push) }),
    );
    await settled(executionArn ?? '');
    const [plan] = seen.get('plan') ?? [];
    expect(plan?.event).toEqual(push);
    expect(plan?.context).toMatchObject({
      functionName: 'release-automation-dev-plan',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:release-automation-dev-plan',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/release-automation-dev-plan',
    });
    const remaining = plan?.context.getRemainingTimeInMillis() ?? 0;
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThanOrEqual(30_000);
    expect(plan?.env).toMatchObject({
      AWS_ENDPOINT_URL: sandbox.endpoint,
      AWS_REGION: 'us-east-1',
      RELEASES_TABLE: 'release-automation-dev-releases',
      LOCKS_TABLE: 'release-automation-dev-locks',
      IDEMPOTENCY_TABLE: 'release-automation-dev-idempotency',
      SLACK_TOKEN_PARAMETER: '/release-automation/slack/bot-token',
      SLACK_API_URL: sandbox.slack.apiUrl,
      POWERTOOLS_SERVICE_NAME: 'release-automation',
      POWERTOOLS_TRACE_ENABLED: 'false',
    });
    // $$.Execution.Id reaches the Map iterations.
    expect(seen.get('finish')?.[0]?.event).toMatchObject({ executionId: executionArn, outcome: 'SUCCEEDED' });
    expect(seen.get('deploy')?.[0]?.context.getRemainingTimeInMillis()).toBeGreaterThan(30_000);
  });

  it('runs Wait states under the time factor (15 s × 0.02 = 300 ms)', async () => {
    // The target busy twice: WaitForTarget twice (a rolling deployment's wait is a callback task, no Wait state).
    let claims = 0;
    behaviour.claim = async () => (++claims <= 2 ? { status: 'BUSY', reason: 'held' } : { status: 'ACQUIRED' });
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(push) }),
    );
    expect((await settled(executionArn ?? '')).status).toBe('SUCCEEDED');
    const events = await history(executionArn ?? '');
    const waits = events.flatMap((event, index) => {
      if (event.type !== 'WaitStateEntered') return [];
      const exited = events.slice(index).find((later) => later.type === 'WaitStateExited');
      return [(exited?.timestamp?.getTime() ?? 0) - (event.timestamp?.getTime() ?? 0)];
    });
    expect(waits).toHaveLength(2);
    for (const ms of waits) {
      expect(ms).toBeGreaterThanOrEqual(290);
      expect(ms).toBeLessThan(1500);
    }
  });

  it('reports a failing function as Lambda does: its error name for Retry/Catch, its payload as the Cause', async () => {
    behaviour.smokeTest = async () => {
      throw Object.assign(new Error('GET http://127.0.0.1:8080/ answered 503'), { name: 'SmokeTestFailedError' });
    };
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(push) }),
    );
    const described = await settled(executionArn ?? '');
    expect(described).toMatchObject({ status: 'FAILED', error: 'ReleaseFailed' });
    const failed = (await history(executionArn ?? '')).find((event) => event.type === 'LambdaFunctionFailed');
    expect(failed?.lambdaFunctionFailedEventDetails?.error).toBe('SmokeTestFailedError');
    expect(JSON.parse(failed?.lambdaFunctionFailedEventDetails?.cause ?? '')).toMatchObject({
      errorType: 'SmokeTestFailedError',
      errorMessage: 'GET http://127.0.0.1:8080/ answered 503',
    });
    const rollback = seen.get('rollback')?.[0]?.event as { error: { Error: string; Cause: string } };
    expect(rollback.error.Error).toBe('SmokeTestFailedError');
    expect(JSON.parse(rollback.error.Cause)).toMatchObject({ errorType: 'SmokeTestFailedError' });
  });

  it('retries a TransientError per the definition, with the pause under the time factor', async () => {
    let attempts = 0;
    behaviour.plan = async (event) => {
      if (++attempts < 3) throw Object.assign(new Error('throttled'), { name: 'TransientError' });
      return defaults().plan?.(event);
    };
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(push) }),
    );
    expect((await settled(executionArn ?? '')).status).toBe('SUCCEEDED');
    expect(attempts).toBe(3);
    const events = await history(executionArn ?? '');
    expect(events.filter((event) => event.type === 'LambdaFunctionFailed')).toHaveLength(2);
  });

  it('keeps execution names unique as AWS does', async () => {
    const planned = gate();
    behaviour.plan = async () => {
      await planned.opened;
      return { releases: [] };
    };
    const input = JSON.stringify(push);
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'push-1', input }));
    const again = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'push-1', input }));
    expect(again.executionArn).toBe(first.executionArn);
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'push-1', input: '{"other":1}' })),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    planned.open();
    expect((await settled(first.executionArn ?? '')).status).toBe('SUCCEEDED');
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'push-1', input }))).rejects.toMatchObject(
      {
        name: 'ExecutionAlreadyExists',
      },
    );
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'has space', input })),
    ).rejects.toMatchObject({ name: 'InvalidName' });
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{not json' }))).rejects.toMatchObject({
      name: 'InvalidExecutionInput',
    });
  });

  it('stops an execution: ABORTED, with the error and cause given, listed newest first', async () => {
    const planned = gate();
    behaviour.plan = async () => {
      await planned.opened;
      return { releases: [] };
    };
    const older = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'to-keep', input: '{}' }));
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, name: 'to-stop', input: '{}' }),
    );
    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Operator', cause: 'stopped by a test' }));
    expect(await settled(executionArn ?? '')).toMatchObject({
      status: 'ABORTED',
      error: 'Operator',
      cause: 'stopped by a test',
    });
    planned.open();
    await settled(older.executionArn ?? '');
    const events = await history(executionArn ?? '');
    expect(events.at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'Operator', cause: 'stopped by a test' },
    });
    const aborted = await sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'ABORTED' }));
    expect(aborted.executions?.map((execution) => execution.name)).toEqual(['to-stop']);
    const all = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    const names = all.executions?.map((execution) => execution.name) ?? [];
    expect(names.indexOf('to-stop')).toBeLessThan(names.indexOf('to-keep'));
  });

  it('refuses task tokens it never issued', async () => {
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: 'not a token!', output: '{}' })),
    ).rejects.toMatchObject({
      name: 'InvalidToken',
    });
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: 'AAAA', output: '{}' }))).rejects.toMatchObject({
      name: 'TaskDoesNotExist',
    });
  });
});

describeWithAwsCli('the sandbox Step Functions, through the AWS CLI v2', () => {
  it('lists and describes executions, and answers a missing one with its error', async () => {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'cli-1', input: '{}' }));
    await settled(executionArn ?? '');
    const listed = await awsCli(sandbox.endpoint, [
      'stepfunctions',
      'list-executions',
      '--state-machine-arn',
      stateMachineArn,
    ]);
    expect(listed.stderr).toBe('');
    expect(JSON.parse(listed.stdout).executions[0]).toMatchObject({ name: 'cli-1', status: 'SUCCEEDED' });
    const described = await awsCli(sandbox.endpoint, [
      'stepfunctions',
      'describe-execution',
      '--execution-arn',
      executionArn ?? '',
    ]);
    expect(JSON.parse(described.stdout)).toMatchObject({ status: 'SUCCEEDED', input: '{}' });
    const missing = await awsCli(sandbox.endpoint, [
      'stepfunctions',
      'describe-execution',
      '--execution-arn',
      `${stateMachineArn.replace(':stateMachine:', ':execution:')}:nope`,
    ]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('ExecutionDoesNotExist');
  });
});
