import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { MiddlewareObj } from '@middy/core';
import { loadConfig } from './config.ts';
import type { Wiring } from './lambda-entry.ts';
import { retryWhileInProgress } from './retry-in-progress.ts';

// A Step Functions retry after a lost response, or a resumed execution, gets
// the first result back instead of doing the work again.
const RESULT_KEPT_SECONDS = 24 * 60 * 60;

/** The idempotency records' store: IDEMPOTENCY_TABLE, reached as `wiring` says. */
export function idempotencyStore(wiring: Wiring): BasePersistenceLayer {
  return new DynamoDBPersistenceLayer({
    tableName: loadConfig(wiring.env, ['idempotencyTable']).idempotencyTable,
    // More attempts than the SDK's default 3: a throttled store otherwise fails a step that did its work.
    awsSdkV3Client: new DynamoDBClient({ ...wiring.aws, maxAttempts: 6 }),
  });
}

/** Middleware making a handler idempotent on the event's `eventKeyJmesPath`, a duplicate in flight retried later. */
export function idempotentOn(eventKeyJmesPath: string, store: BasePersistenceLayer, logger: Logger): MiddlewareObj[] {
  const config = new IdempotencyConfig({ eventKeyJmesPath, expiresAfterSeconds: RESULT_KEPT_SECONDS });
  return [makeHandlerIdempotent({ persistenceStore: store, config }), retryWhileInProgress(logger)];
}
