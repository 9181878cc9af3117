import {
  DescribeExecutionCommand,
  type ExecutionListItem,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { executionSearch } from '../../../src/cli/executions.ts';
import { resolveExecution } from '../../../src/cli/history.ts';
import { findReleaseExecution } from '../../../src/cli/push.ts';
import { resolveTarget } from '../../../src/cli/target.ts';

const sfn = mockClient(SFNClient);
const dynamodb = mockClient(DynamoDBDocumentClient);
afterEach(() => {
  sfn.reset();
  dynamodb.reset();
});

const machine = 'arn:aws:states:us-east-1:000000000000:stateMachine:release-automation-dev-release';
const arn = (name: string) => `arn:aws:states:us-east-1:000000000000:execution:release-automation-dev-release:${name}`;
const execution = (name: string, startDate: string): ExecutionListItem => ({
  executionArn: arn(name),
  stateMachineArn: machine,
  name,
  status: 'SUCCEEDED',
  startDate: new Date(startDate),
});
const pushInput = (tag: string, digest: string) =>
  JSON.stringify({
    source: 'aws.ecr',
    detail: { 'repository-name': 'demo/web', 'image-tag': tag, 'image-digest': digest },
  });

// 100 other pushes since, newest first: a full first page; the one sought is on the second.
const pushedAt = new Date('2026-11-21T12:00:00Z');
const others = Array.from({ length: 100 }, (_, i) =>
  execution(`other-${i}`, new Date(pushedAt.getTime() + (200 - i) * 1000).toISOString()),
);
const sought = execution('sought', '2026-11-21T12:00:01Z');
const yesterday = execution('yesterday', '2026-11-20T12:00:00Z');
const inputs: Record<string, string> = {
  ...Object.fromEntries(others.map((other, i) => [other.executionArn, pushInput(`v${i}`, `sha256:${i}`)])),
  [arn('sought')]: pushInput('v2', 'sha256:abc'),
  [arn('yesterday')]: pushInput('v2', 'sha256:abc'),
};

/** ListExecutions in pages of 100, as AWS returns them, newest first. */
function listInPages(executions: ExecutionListItem[]) {
  sfn.on(ListStateMachinesCommand).resolves({
    stateMachines: [
      { name: 'release-automation-dev-release', stateMachineArn: machine, type: 'STANDARD', creationDate: new Date() },
    ],
  });
  sfn.on(ListExecutionsCommand).callsFake(({ nextToken }: { nextToken?: string }) => {
    const start = Number(nextToken ?? 0);
    const more = start + 100 < executions.length;
    return { executions: executions.slice(start, start + 100), ...(more ? { nextToken: String(start + 100) } : {}) };
  });
  sfn
    .on(DescribeExecutionCommand)
    .callsFake(({ executionArn }: { executionArn: string }) => ({ input: inputs[executionArn] ?? '{}' }));
}

const target = () => resolveTarget({ 'endpoint-url': 'http://127.0.0.1:1' }, {});
const listedPages = () => sfn.commandCalls(ListExecutionsCommand).map((call) => call.args[0].input.nextToken);

describe('finding release executions', () => {
  it('`release push` finds the release its push started on the second page of ListExecutions', async () => {
    listInPages([...others, sought, yesterday]);

    const found = await findReleaseExecution(target(), { tag: 'v2', digest: 'sha256:abc', pushedAt }, 1_000);

    expect(found).toBe(arn('sought'));
    expect(listedPages()).toEqual([undefined, '100']);
  });

  it('a release without a record is found by its execution name on a later page', async () => {
    listInPages([...others, sought]);
    dynamodb.on(GetCommand).resolves({});
    await expect(resolveExecution(target(), 'sought')).resolves.toBe(arn('sought'));
  });

  it('stops listing at the first execution started before `since`, and describes each execution once', async () => {
    listInPages([sought, yesterday, ...others]);
    const search = executionSearch(target(), {
      since: pushedAt.getTime(),
      matches: (input) => input.includes('sha256:abc'),
    });

    expect((await search()).map(({ executionArn }) => executionArn)).toEqual([arn('sought')]);
    expect((await search()).map(({ executionArn }) => executionArn)).toEqual([arn('sought')]);

    const described = sfn.commandCalls(DescribeExecutionCommand).map((call) => call.args[0].input.executionArn);
    expect(described).toEqual([arn('sought')]);
    expect(listedPages()).toEqual([undefined, undefined]);
  });
});
