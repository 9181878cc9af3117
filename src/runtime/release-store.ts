import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoReleaseStore } from '../adapters/release-store.ts';
import type { ReleaseStore } from '../ports/release-store.ts';
import { requireEnv } from './env.ts';

/** The release store over the tables serverless.yml gives the functions; call once per cold start. */
export function releaseStoreFromEnvironment(): ReleaseStore {
  return createDynamoReleaseStore({
    client: DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }),
    releasesTable: requireEnv('RELEASES_TABLE'),
    locksTable: requireEnv('LOCKS_TABLE'),
  });
}
