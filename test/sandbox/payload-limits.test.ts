import { readFileSync } from 'node:fs';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type Sandbox, startSandbox } from '../../sandbox/index.ts';
import { sdkConfig } from './support/clients.ts';

// AWS's payload limits where the functions meet them: Step Functions' 256 KiB
// for execution input and task data (a terminal States.DataLimitExceeded that
// no Catch takes), and Lambda's 6 MB for a request and a response.

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
const KIB = 1024;

let sandbox: Sandbox;
let sfn: SFNClient;
let stateMachineArn: string;
let deployResult: () => unknown;
const called: string[] = [];

const handlers = {
  plan: async (event: unknown) => ({
    releases: [{ releaseId: `${(event as { id: string }).id}:web`, target }],
    refusedTargets: [],
  }),
  claim: async () => ({ status: 'ACQUIRED' }),
  notify: async () => ({ delivered: true }),
  deploy: async () => deployResult(),
  waitStable: async () => ({ status: 'SUCCESSFUL' }),
  // Answers its own task at once, as awaitDeployment does for a deployment already over.
  awaitDeployment: async (event: unknown) => {
    const { taskToken } = event as { taskToken: string };
    await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ status: 'SUCCESSFUL' }) }));
    return { waiting: false };
  },
  smokeTest: async () => ({ passed: 1 }),
  rollback: async () => {
    called.push('rollback');
    return { serviceDeploymentArn: 'arn:sd/2', taskDefinitionArn: 'arn:td/web:1', deadline: 'later' };
  },
  finish: async () => ({ recorded: true }),
  // Not part of these releases: stands in for any function invoked directly.
  abandon: async (event: unknown) =>
    (event as { huge?: boolean }).huge ? { blob: 'x'.repeat(7 * 1024 * KIB) } : event,
};

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, slackPort: 0, quiet: true, timeFactor: 0.02, services: [], handlers });
  sfn = new SFNClient(sdkConfig(sandbox.endpoint));
  stateMachineArn = sandbox.stateMachines.byKey('release')?.arn ?? '';
});

afterAll(async () => {
  sfn?.destroy();
  await sandbox?.stop();
});

beforeEach(() => {
  called.length = 0;
  deployResult = () => ({ serviceDeploymentArn: 'arn:sd/1', taskDefinitionArn: 'arn:td/web:2', deadline: 'later' });
});

async function settled(executionArn: string) {
  for (let attempt = 0; attempt < 300; attempt++) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') return described;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${executionArn} still running`);
}

describe('Step Functions limits', () => {
  it('refuses an execution input over 256 KiB and starts nothing', async () => {
    const before = (await sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions?.length ?? 0;
    const input = JSON.stringify({ ...push, padding: 'x'.repeat(256 * KIB) });
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn, input }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('262144'),
    });
    expect((await sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions?.length ?? 0).toBe(before);
  });

  it('accepts an input of exactly 256 KiB', async () => {
    const base = JSON.stringify({ ...push, padding: '' });
    const input = JSON.stringify({ ...push, padding: 'x'.repeat(256 * KIB - Buffer.byteLength(base)) });
    expect(Buffer.byteLength(input)).toBe(256 * KIB);
    const { executionArn = '' } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input }));
    expect((await settled(executionArn)).status).toBe('SUCCEEDED');
  });

  it('fails the execution with States.DataLimitExceeded when a task returns over 256 KiB: no Catch takes it', async () => {
    deployResult = () => ({ serviceDeploymentArn: 'arn:sd/1', padding: 'x'.repeat(256 * KIB) });
    const { executionArn = '' } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(push) }),
    );
    const described = await settled(executionArn);
    expect(described).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(described.cause).toMatch(/'Deploy' output has a size of \d+ bytes, over the limit of 262144 bytes/);
    // Deploy's Catch (States.ALL → Rollback) does not apply to a terminal error.
    expect(called).toEqual([]);
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    const entered = events.map((event) => event.stateEnteredEventDetails?.name).filter(Boolean);
    expect(entered).not.toContain('Rollback');
    expect(events.at(-1)?.type).toBe('ExecutionFailed');
  });
});

describe('Lambda limits', () => {
  it('refuses a request payload over 6 MB without running the function', async () => {
    await expect(sandbox.lambda.invoke('abandon', { blob: 'x'.repeat(6 * 1024 * KIB) })).rejects.toMatchObject({
      name: 'RequestEntityTooLargeException',
    });
    await expect(sandbox.lambda.invoke('abandon', { blob: 'x'.repeat(5 * 1024 * KIB) })).resolves.toBeDefined();
  });

  it('fails an invocation whose response is over 6 MB', async () => {
    await expect(sandbox.lambda.invoke('abandon', { huge: true })).rejects.toMatchObject({
      name: 'Function.ResponseSizeTooLarge',
    });
  });
});
