import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { requireEnv } from '../../src/platform/env.ts';
import { lambdaHandler, logger } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { retryWhileInProgress } from '../../src/platform/retry-in-progress.ts';
import { createEcsAdapter } from '../../src/release/adapters/ecs.ts';
import { deployRelease } from '../../src/release/deploy.ts';
import type { AlreadyLive, DeployResult } from '../../src/release/release.ts';
import { deployStep } from '../../src/release/steps.ts';

const ecs = createEcsAdapter(new ECSClient({}));

// A Step Functions retry after a lost response gets the first result back
// instead of deploying again. Input without a release id skips the check and
// fails validation below, changing nothing.
const persistenceStore = new DynamoDBPersistenceLayer({
  tableName: requireEnv('IDEMPOTENCY_TABLE'),
  awsSdkV3Client: new DynamoDBClient({}),
});
const idempotency = new IdempotencyConfig({ eventKeyJmesPath: 'request.releaseId', expiresAfterSeconds: 24 * 60 * 60 });

/** { request } → the revision registered and the service deployment started, or why nothing changed (`noop`). */
export const handler = lambdaHandler(async (event: unknown): Promise<DeployResult | AlreadyLive> => {
  const { request } = parseEvent(deployStep.input, event);
  const result = await deployRelease(request, { ecs, now: () => new Date() });
  logger.info('noop' in result ? 'already live' : 'deployed', { releaseId: request.releaseId, ...result });
  return result;
})
  .use(makeHandlerIdempotent({ persistenceStore, config: idempotency }))
  .use(retryWhileInProgress());
