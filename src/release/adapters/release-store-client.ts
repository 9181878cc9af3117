import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReleaseStore } from '../ports/release-store.ts';
import { createDynamoReleaseStore } from './release-store.ts';

/** The names of the releases and locks tables. */
export interface ReleaseTableNames {
  releasesTable: string;
  locksTable: string;
}

/** The release store over these tables through `client` (whose owner destroys it). */
export function createReleaseStore(tables: ReleaseTableNames, client = new DynamoDBClient({})): ReleaseStore {
  return createDynamoReleaseStore({
    client: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
    ...tables,
  });
}
