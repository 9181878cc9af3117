import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '../../../src/cli/main.ts';
import { UsageError } from '../../../src/cli/usage.ts';

const dynamodb = mockClient(DynamoDBDocumentClient);
afterEach(() => dynamodb.reset());

const future = new Date(Date.now() + 3_600_000).toISOString();
const heldLock = {
  lockKey: 'shop#staging',
  holder: 'shop-staging-e1',
  holderExecutionId: 'arn:aws:states:us-east-1:000000000000:execution:release-automation-dev-release:e1',
  holderTag: 'v7',
  expiresAt: future,
};

async function run(...argv: string[]) {
  const lines: string[] = [];
  const code = await main([...argv, '--endpoint-url', 'http://127.0.0.1:1'], (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}

describe('release promote / abort', () => {
  it('asks the release holding the target, recording who asked', async () => {
    dynamodb.on(GetCommand).resolves({ Item: heldLock });
    dynamodb.on(UpdateCommand).resolves({});

    const { code, output } = await run('abort', 'shop', '--environment', 'staging', '--by', 'alice');

    expect(code).toBe(0);
    expect(output).toMatch(/abort of release shop-staging-e1 \(shop\/staging, v7\) requested by alice/);
    const [lockUpdate] = dynamodb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(lockUpdate).toMatchObject({
      TableName: 'release-automation-dev-locks',
      Key: { lockKey: 'shop#staging' },
      ExpressionAttributeValues: {
        ':control': { action: 'abort', releaseId: 'shop-staging-e1', requestedBy: 'alice' },
        ':releaseId': 'shop-staging-e1',
      },
    });
    expect(lockUpdate?.ConditionExpression).toMatch(/^holder = :releaseId AND expiresAt >= :now/);
  });

  it('refuses with exit 1 when no release of the target is running, asking nothing', async () => {
    dynamodb.on(GetCommand).resolves({ Item: { lockKey: 'shop#staging', latestReleaseId: 'shop-staging-e0' } });

    const { code, output } = await run('promote', 'shop', '--environment', 'staging');

    expect(code).toBe(1);
    expect(output).toBe('no release of shop/staging is running');
    expect(dynamodb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('refuses a second request for the same release', async () => {
    dynamodb.on(GetCommand).resolves({ Item: heldLock });
    dynamodb
      .on(UpdateCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));

    const { code, output } = await run('promote', 'shop', '--environment', 'staging', '--by', 'bob');

    expect(code).toBe(1);
    expect(output).toMatch(/already asked/);
  });

  it('shows its usage on help and refuses bad usage', async () => {
    expect((await run('help', 'promote')).output).toMatch(/^Usage: release promote <service>/);
    await expect(run('abort')).rejects.toThrow(UsageError);
    await expect(run('abort', 'shop', '--by', ' ')).rejects.toThrow(/--by must name someone/);
    expect(dynamodb.calls()).toHaveLength(0);
  });
});
