import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '../../../src/cli/main.ts';
import { readStatus } from '../../../src/cli/status.ts';
import { resolveTarget } from '../../../src/cli/target.ts';
import { UsageError } from '../../../src/cli/usage.ts';

const dynamodb = mockClient(DynamoDBDocumentClient);
afterEach(() => dynamodb.reset());

const target = () => resolveTarget({ 'endpoint-url': 'http://127.0.0.1:1' }, {});
const record = (releaseId: string, service: string, environment: string, startedAt: string) => ({
  releaseId,
  executionId: `arn:aws:states:us-east-1:000000000000:execution:release-automation-dev-release:${releaseId}`,
  target: `${service}#${environment}`,
  service,
  environment,
  trigger: { source: 'ecr-push', eventId: `event-${releaseId}`, at: startedAt },
  repository: `demo/${service}`,
  tag: releaseId,
  digest: `sha256:${releaseId}`,
  image: `demo/${service}@sha256:${releaseId}`,
  startedAt,
  endedAt: startedAt.replace(':00Z', ':30Z'),
  outcome: 'SUCCEEDED',
});

describe('release status', () => {
  it("reads one target's releases from the byTarget index, newest first, page after page up to --limit", async () => {
    dynamodb
      .on(QueryCommand)
      .resolvesOnce({
        Items: [record('v3', 'web', 'staging', '2026-11-21T12:03:00Z')],
        LastEvaluatedKey: { releaseId: 'v3', target: 'web#staging', startedAt: '2026-11-21T12:03:00Z' },
      })
      .resolvesOnce({
        Items: [record('v2', 'web', 'staging', '2026-11-21T12:02:00Z')],
        LastEvaluatedKey: { releaseId: 'v2', target: 'web#staging', startedAt: '2026-11-21T12:02:00Z' },
      });

    const releases = await readStatus(target(), { limit: 2, service: 'web', environment: 'staging' });

    expect(releases.map(({ id, service, environment, state }) => [id, service, environment, state])).toEqual([
      ['v3', 'web', 'staging', 'DONE'],
      ['v2', 'web', 'staging', 'DONE'],
    ]);
    const queries = dynamodb.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(queries).toEqual([
      expect.objectContaining({
        TableName: 'release-automation-dev-releases',
        IndexName: 'byTarget',
        KeyConditionExpression: '#target = :target',
        ExpressionAttributeNames: { '#target': 'target' },
        ExpressionAttributeValues: { ':target': 'web#staging' },
        ScanIndexForward: false,
        Limit: 2,
      }),
      expect.objectContaining({
        ExclusiveStartKey: { releaseId: 'v3', target: 'web#staging', startedAt: '2026-11-21T12:03:00Z' },
        Limit: 1,
      }),
    ]);
    expect(dynamodb.commandCalls(ScanCommand)).toHaveLength(0);
  });

  it('scans every page of the table when not given both a service and an environment', async () => {
    dynamodb
      .on(ScanCommand)
      .resolvesOnce({
        Items: [record('v1', 'web', 'staging', '2026-11-21T12:01:00Z')],
        LastEvaluatedKey: { releaseId: 'v1' },
      })
      .resolvesOnce({ Items: [record('v2', 'web', 'production', '2026-11-21T12:02:00Z')] });

    const releases = await readStatus(target(), { limit: 20, service: 'web' });

    expect(releases.map(({ id }) => id)).toEqual(['v2', 'v1']);
    const scans = dynamodb.commandCalls(ScanCommand).map((call) => call.args[0].input);
    expect(scans).toEqual([
      expect.objectContaining({
        FilterExpression: '#service = :service',
        ExpressionAttributeValues: { ':service': 'web' },
      }),
      expect.objectContaining({ ExclusiveStartKey: { releaseId: 'v1' } }),
    ]);
    expect(dynamodb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('`release status --service web --environment staging` lists that target', async () => {
    dynamodb.on(QueryCommand).resolves({ Items: [record('v2', 'web', 'staging', '2026-11-21T12:02:00Z')] });
    const lines: string[] = [];

    const code = await main(['status', '--service', 'web', '--environment', 'staging'], (line) => lines.push(line));

    expect(code).toBe(0);
    expect(lines.join('\n')).toMatch(/^v2\s+web\s+staging\s+demo\/web:v2\s/m);
  });

  it('refuses a service or environment name the catalog could not hold, before reading anything', async () => {
    await expect(main(['status', '--service', 'Web!'], () => {})).rejects.toThrow(
      new UsageError('--service "Web!" must be lower-case letters, digits and dashes, starting with a letter'),
    );
    await expect(main(['status', '--environment', ''], () => {})).rejects.toThrow(UsageError);
    await expect(main(['status', '--environment'], () => {})).rejects.toThrow(UsageError);
    expect(dynamodb.calls()).toHaveLength(0);
  });

  it('`release help status` shows the filters', async () => {
    const lines: string[] = [];
    expect(await main(['help', 'status'], (line) => lines.push(line))).toBe(0);
    expect(lines.join('\n')).toMatch(/--service <name>(.|\n)*--environment <env>/);
  });
});
