import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTables, tableEnvironment, tableNames } from '../../sandbox/dynamodb/tables.ts';
import { startDynalite } from './dynalite.ts';

/** dynalite with every table of serverless.yml, and the functions' table variables for it. */
export interface ReleaseTables {
  endpoint: string;
  client: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  /** RELEASES_TABLE, LOCKS_TABLE, IDEMPOTENCY_TABLE. */
  environment: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts dynalite and creates serverless.yml's tables in it (reads serverless.yml: allow a few seconds). */
export async function startReleaseTables(prefix = 'test'): Promise<ReleaseTables> {
  const dynamo = await startDynalite();
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  try {
    await createTables(client, await tableNames(prefix));
  } catch (error) {
    client.destroy();
    await dynamo.stop();
    throw error;
  }
  return {
    endpoint: dynamo.endpoint,
    client,
    documents: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    environment: await tableEnvironment(prefix),
    async stop() {
      client.destroy();
      await dynamo.stop();
    },
  };
}
