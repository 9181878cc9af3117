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
import { rollService } from '../../src/rotation/roll.ts';
import { rotateRollStep } from '../../src/rotation/steps.ts';

const ecs = createEcsAdapter(new ECSClient({}));

// A retry after a lost response, or a resumed rotation, gets the first
// deployment back instead of forcing another one: one roll per service per rotation.
const persistenceStore = new DynamoDBPersistenceLayer({
  tableName: requireEnv('IDEMPOTENCY_TABLE'),
  awsSdkV3Client: new DynamoDBClient({}),
});
const idempotency = new IdempotencyConfig({
  eventKeyJmesPath: '[rotationId, target.service, target.environment]',
  expiresAfterSeconds: 24 * 60 * 60,
});

/** `rotateRoll`: `{ rotationId, target }` → the forced deployment to wait on (waitStable's query). */
export const handler = lambdaHandler(async (event: unknown) => {
  const { rotationId, target } = parseEvent(rotateRollStep.input, event);
  const roll = await rollService(target, { ecs, now: () => new Date() });
  logger.info('rolling service', { rotationId, service: target.service, environment: target.environment, ...roll });
  return roll;
})
  .use(makeHandlerIdempotent({ persistenceStore, config: idempotency }))
  .use(retryWhileInProgress());
