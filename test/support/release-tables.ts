import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTables, tableEnvironment, tableNames } from '../../sandbox/dynamodb/tables.ts';
import { createDynamoReleaseStore } from '../../src/release/adapters/release-store.ts';
import type { ReleaseStore } from '../../src/release/ports/release-store.ts';
import { startDynalite } from './dynalite.ts';

/** dynalite with every table of serverless.yml, and the functions' table variables for it. */
export interface ReleaseTables {
  endpoint: string;
  client: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  /** RELEASES_TABLE, LOCKS_TABLE, IDEMPOTENCY_TABLE. */
  environment: Record<string, string>;
  /** The functions' release store over these tables. */
  store: ReleaseStore;
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
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const environment = await tableEnvironment(prefix);
  return {
    endpoint: dynamo.endpoint,
    client,
    documents,
    environment,
    store: createDynamoReleaseStore({
      client: documents,
      releasesTable: environment.RELEASES_TABLE ?? '',
      locksTable: environment.LOCKS_TABLE ?? '',
    }),
    async stop() {
      client.destroy();
      await dynamo.stop();
    },
  };
}
