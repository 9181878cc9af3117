import {
  type AttributeDefinition,
  CreateTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
  ResourceInUseException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { SandboxResources } from '../lambda/environment.ts';
import type { SandboxLocation } from '../lambda/functions.ts';
import { readServerlessConfig } from '../serverless-config.ts';

// The tables come from serverless.yml's resources, so the sandbox and the
// tests always have the keys and indexes the deployed stack has.

interface TableResource {
  logicalId: string;
  /** The name serverless.yml gives it (what the deployed stack and the CLI use). */
  declaredName?: string;
  keys: {
    KeySchema: KeySchemaElement[];
    AttributeDefinitions: AttributeDefinition[];
    GlobalSecondaryIndexes?: GlobalSecondaryIndex[];
  };
}

/** Every `AWS::DynamoDB::Table` of serverless.yml. */
async function tableResources(): Promise<TableResource[]> {
  const { resources } = await readServerlessConfig();
  return Object.entries(resources.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::DynamoDB::Table')
    .map(([logicalId, { Properties }]) => ({
      logicalId,
      ...(typeof Properties.TableName === 'string' ? { declaredName: Properties.TableName } : {}),
      keys: {
        KeySchema: Properties.KeySchema as KeySchemaElement[],
        AttributeDefinitions: Properties.AttributeDefinitions as AttributeDefinition[],
        ...(Properties.GlobalSecondaryIndexes
          ? { GlobalSecondaryIndexes: Properties.GlobalSecondaryIndexes as GlobalSecondaryIndex[] }
          : {}),
      },
    }));
}

/**
 * A table's name: serverless.yml's own (as `serverless print` resolves it, for
 * the default stage) without a prefix; `<prefix>-<LogicalId>` with one, so
 * test runs can share a DynamoDB without sharing tables.
 */
function physicalTableName(table: TableResource, prefix: string | undefined): string {
  return prefix === undefined ? (table.declaredName ?? table.logicalId) : `${prefix}-${table.logicalId}`;
}

/** Names for every table of serverless.yml, by logical id: what `createTables` takes. */
export async function tableNames(prefix?: string): Promise<Record<string, string>> {
  const tables = await tableResources();
  return Object.fromEntries(tables.map((table) => [table.logicalId, physicalTableName(table, prefix)]));
}

/**
 * Creates every DynamoDB table of serverless.yml under the names given (by
 * logical id) and waits until each is ACTIVE. A table that already exists is
 * left as it is. TTL is not set: dynalite does not implement it.
 */
export async function createTables(client: DynamoDBClient, names: Record<string, string>): Promise<void> {
  const tables = await tableResources();
  const missing = tables.filter(({ logicalId }) => names[logicalId] === undefined).map(({ logicalId }) => logicalId);
  if (missing.length > 0) throw new Error(`no table name given for ${missing.join(', ')}`);
  await Promise.all(
    tables.map(async ({ logicalId, keys }) => {
      const TableName = names[logicalId];
      try {
        await client.send(new CreateTableCommand({ TableName, BillingMode: 'PAY_PER_REQUEST', ...keys }));
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
      }
      await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName });
    }),
  );
}

/**
 * The functions' table variables (`RELEASES_TABLE`, `LOCKS_TABLE`,
 * `IDEMPOTENCY_TABLE`, ...) naming the tables `tableNames(prefix)` names:
 * each `provider.environment` value that is `{ Ref: LogicalId }` of a table.
 */
export async function tableEnvironment(prefix?: string): Promise<Record<string, string>> {
  const [{ provider }, names] = await Promise.all([readServerlessConfig(), tableNames(prefix)]);
  const environment: Record<string, string> = {};
  for (const [variable, value] of Object.entries(provider.environment ?? {})) {
    const name = names[refOf(value) ?? ''];
    if (name !== undefined) environment[variable] = name;
  }
  return environment;
}

function refOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const ref = (value as Record<string, unknown>).Ref;
  return typeof ref === 'string' ? ref : undefined;
}

/** serverless.yml's tables under the names the deployed stack gives them, as `{Ref}`/`{Fn::GetAtt}` resolve. */
export async function deployedTables(location: SandboxLocation): Promise<SandboxResources> {
  const names = await tableNames();
  return Object.fromEntries(
    Object.entries(names).map(([logicalId, name]) => [
      logicalId,
      { ref: name, arn: `arn:aws:dynamodb:${location.region}:${location.accountId}:table/${name}` },
    ]),
  );
}
