import type { Catalog } from '../../catalog/index.ts';
import type { Home } from '../../platform/index.ts';
import { dependentsOnOlderValue } from '../in-use.ts';
import type { DependentEcs } from '../ports/dependent-ecs.ts';
import type { RotationLock } from '../ports/rotation-lock.ts';
import type { SecretStore } from '../ports/secret-store.ts';
import { finishRotation } from '../publish.ts';
import type { RotationRequest } from '../rotation.ts';
import { beginRotation, createPending, endRotation, setPending, testPending } from '../steps.ts';
import { generateSecret } from './secret-generator.ts';
import { rollTargets, secretFor, targetFor } from './wiring.ts';

/** One step of a secret's rotation, as the rotation state machine asks for it. */
export type RotationStepInput =
  | { step: 'begin' | 'create' | 'set' | 'test' | 'finish'; request: RotationRequest }
  | { step: 'end'; ending: 'PUBLISHED' | 'FAILED'; request: RotationRequest };

/**
 * What the rotation steps use: the catalog and the automation's own account and region (where a
 * target naming neither lives), the secret store, the rotation lock, ECS per dependent (for create's
 * in-use check) and a clock.
 */
export interface RotationStepPorts {
  catalog: Catalog;
  home: Home;
  store: SecretStore;
  lock: RotationLock;
  ecs: DependentEcs;
  now: () => Date;
}

/** Runs one rotation step on the catalog secret the request names; its result holds names, versions and statuses, never a value. */
export async function runRotationStep(input: RotationStepInput, ports: RotationStepPorts) {
  const { request } = input;
  const { store, lock, now, ecs } = ports;
  const secret = secretFor(ports.catalog, request.parameter);
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
            dependentsOnOlderValue(secret.parameter, secret.services, rollTargets(ports.catalog, ports.home), at, {
              ecs: (target) => ecs(target.access, request.rotationId),
            }),
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
  return { secret: secret.name, result };
}
