import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTables, tableEnvironment, tableNames } from '../../../sandbox/dynamodb/tables.ts';
import { type LocalDynamo, startDynalite } from '../../support/dynalite.ts';

let dynamo: LocalDynamo;
let client: DynamoDBClient;

beforeAll(async () => {
  dynamo = await startDynalite();
  client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});
afterAll(async () => {
  client.destroy();
  await dynamo.stop();
});

const describe_ = (TableName: string) => client.send(new DescribeTableCommand({ TableName }));

describe('sandbox DynamoDB tables', () => {
  it("creates serverless.yml's tables, keys and indexes, ready to use", async () => {
    const names = await tableNames('t1');
    await createTables(client, names);

    const { Table: releases } = await describe_('t1-ReleasesTable');
    expect(releases?.TableStatus).toBe('ACTIVE');
    expect(releases?.KeySchema).toEqual([{ AttributeName: 'releaseId', KeyType: 'HASH' }]);
    expect(releases?.GlobalSecondaryIndexes).toEqual([
      expect.objectContaining({
        IndexName: 'byTarget',
        KeySchema: [
          { AttributeName: 'target', KeyType: 'HASH' },
          { AttributeName: 'startedAt', KeyType: 'RANGE' },
        ],
      }),
      expect.objectContaining({
        IndexName: 'byExecution',
        KeySchema: [{ AttributeName: 'executionId', KeyType: 'HASH' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      }),
    ]);
    const { Table: locks } = await describe_('t1-LocksTable');
    expect(locks?.KeySchema).toEqual([{ AttributeName: 'lockKey', KeyType: 'HASH' }]);
    const { Table: idempotency } = await describe_('t1-IdempotencyTable');
    expect(idempotency?.KeySchema).toEqual([{ AttributeName: 'id', KeyType: 'HASH' }]);
    const { Table: approvals } = await describe_('t1-ApprovalsTable');
    expect(approvals?.KeySchema).toEqual([{ AttributeName: 'approvalId', KeyType: 'HASH' }]);
    const { Table: audit } = await describe_('t1-AuditTable');
    expect(audit?.KeySchema).toEqual([
      { AttributeName: 'target', KeyType: 'HASH' },
      { AttributeName: 'key', KeyType: 'RANGE' },
    ]);
  }, 30_000);

  it('gives the functions table variables naming the tables it created', async () => {
    expect(await tableEnvironment('t1')).toEqual({
      RELEASES_TABLE: 't1-ReleasesTable',
      LOCKS_TABLE: 't1-LocksTable',
      IDEMPOTENCY_TABLE: 't1-IdempotencyTable',
      APPROVALS_TABLE: 't1-ApprovalsTable',
      AUDIT_TABLE: 't1-AuditTable',
      DEPLOYMENT_WAITS_TABLE: 't1-DeploymentWaitsTable',
    });
  });

  it("uses serverless.yml's own table names without a prefix (the names the CLI looks for)", async () => {
    const environment = await tableEnvironment();
    expect(environment.RELEASES_TABLE).toBe('release-automation-dev-releases');

    await createTables(client, await tableNames());
    expect((await describe_('release-automation-dev-locks')).Table?.TableStatus).toBe('ACTIVE');
  });

  it('leaves tables that already exist alone when created again', async () => {
    const names = await tableNames('t2');
    await createTables(client, names);
    await expect(createTables(client, names)).resolves.toBeUndefined();
  });

  it('refuses to guess a name it was not given', async () => {
    await expect(createTables(client, { ReleasesTable: 'only-one' })).rejects.toThrow(
      /LocksTable, DeploymentWaitsTable, ApprovalsTable, IdempotencyTable/,
    );
  });
});
