import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '../../platform/env.ts';
import type { RotationLock } from '../ports/rotation-lock.ts';
import { createDynamoRotationLock } from './rotation-lock.ts';

/** The rotation lock on the LocksTable serverless.yml gives the functions; call once per cold start. */
export function rotationLockFromEnvironment(): RotationLock {
  return createDynamoRotationLock({
    client: DynamoDBDocumentClient.from(new DynamoDBClient({})),
    locksTable: requireEnv('LOCKS_TABLE'),
  });
}
