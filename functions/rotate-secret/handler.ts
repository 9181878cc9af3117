import { ECSClient } from '@aws-sdk/client-ecs';
import { lambdaHandler, logger } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { createEcsAdapter } from '../../src/release/adapters/ecs.ts';
import {
  rollTargets,
  rotationPortsFromEnvironment,
  secretFor,
  targetFor,
} from '../../src/rotation/adapters/rotation-from-env.ts';
import { generateSecret } from '../../src/rotation/adapters/secret-generator.ts';
import { dependentsOnOlderValue } from '../../src/rotation/in-use.ts';
import { finishRotation } from '../../src/rotation/publish.ts';
import {
  beginRotation,
  createPending,
  endRotation,
  rotateSecretStep,
  setPending,
  testPending,
} from '../../src/rotation/steps.ts';

const { store, lock } = rotationPortsFromEnvironment();
// Create asks which tasks the secret's dependents run before it changes a credential they may use.
const ecs = createEcsAdapter(new ECSClient({}));
const targets = rollTargets();
const now = () => new Date();

/**
 * `rotateSecret`: `{ step, request: { parameter, rotationId, requestedBy? }, ending? }` → the
 * step's result: names, versions and statuses, never a value.
 */
export const handler = lambdaHandler(async (event: unknown) => {
  const input = parseEvent(rotateSecretStep.input, event);
  const { request } = input;
  const secret = secretFor(request.parameter);
  const target = () => targetFor(secret, store);
  const result = await (async () => {
    switch (input.step) {
      case 'begin':
        return beginRotation(request, { lock, now });
      case 'create':
        return createPending(request, secret, {
          store,
          generate: generateSecret,
          dependentsOnOlderValue: (at) =>
            dependentsOnOlderValue(secret.parameter, secret.services, targets, at, { ecs }),
        });
      case 'set':
        await setPending(request, { store, target: target() });
        return { set: true };
      case 'test':
        await testPending(request, { store, target: target() });
        return { tested: true };
      case 'finish':
        return finishRotation(request, { store });
      case 'end':
        return endRotation(request, input.ending, { store, lock, now });
    }
  })();
  logger.info(`rotation ${input.step}`, { secret: secret.name, ...request, result });
  return result;
});
