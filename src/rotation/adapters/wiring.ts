import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Catalog, resolvePlacement } from '../../catalog/index.ts';
import { loadConfig } from '../../platform/config.ts';
import { InvalidInputError } from '../../platform/errors.ts';
import type { Home } from '../../platform/index.ts';
import { type Wiring, wiredTargetClients } from '../../platform/wiring.ts';
import { createEcsAdapter } from '../../release/wiring.ts';
import type { DependentEcs } from '../ports/dependent-ecs.ts';
import type { RotationLock } from '../ports/rotation-lock.ts';
import type { RotationTarget } from '../ports/rotation-target.ts';
import type { SecretStore } from '../ports/secret-store.ts';
import type { RollTarget } from '../roll.ts';
import { parseCredential, type RotatingSecret } from '../rotation.ts';
import { readCaBundle } from './ca-bundle.ts';
import { createPostgresTarget } from './postgres-target.ts';
import { createDynamoRotationLock } from './rotation-lock.ts';
import { createSsmSecretStore } from './ssm-secret-store.ts';

/** The catalog secret whose parameter is `parameter`; an unknown one is refused (InvalidInputError), changing nothing. */
export function secretFor(catalog: Catalog, parameter: string): RotatingSecret {
  const found = Object.entries(catalog.secrets).find(([, secret]) => secret.parameter === parameter);
  if (!found) throw new InvalidInputError(`no catalog secret has the parameter ${parameter}`);
  return { name: found[0], ...found[1] };
}

/** Every catalog target, as a rotation's roll and its in-use check look at it, in its account and region. */
export function rollTargets(catalog: Catalog, home: Home): RollTarget[] {
  return Object.entries(catalog.services).flatMap(([service, { environments }]) =>
    Object.entries(environments).map(([environment, target]) => ({
      service,
      environment,
      cluster: target.cluster,
      ecsService: target.service,
      stabilityDeadlineSeconds: target.stabilityDeadlineSeconds,
      access: resolvePlacement(target, home),
    })),
  );
}

/** ECS per dependent: a client per (account's role, region, rotation), kept while the function is warm. */
export function wiredDependentEcs(wiring: Wiring): DependentEcs {
  const clients = wiredTargetClients(wiring);
  return (access, rotationId) =>
    createEcsAdapter(clients.client('ecs', (config) => new ECSClient(config), access, rotationId));
}

/** Where a secret's value takes effect: its database for postgres-credentials, none for the other types. */
export function targetFor(secret: RotatingSecret, store: SecretStore): RotationTarget | undefined {
  const { postgres } = secret;
  if (postgres === undefined) return undefined;
  return createPostgresTarget({
    config: postgres,
    adminCredential: async () => {
      const found = await store.read(postgres.adminParameter);
      if (!found) throw new InvalidInputError(`the admin parameter ${postgres.adminParameter} does not exist`);
      return parseCredential(found.value, `the admin parameter ${postgres.adminParameter}`);
    },
    caBundle: (source) => readCaBundle(source, store),
  });
}

/** The rotation lock on LOCKS_TABLE. */
export function wiredRotationLock(wiring: Wiring): RotationLock {
  return createDynamoRotationLock({
    client: DynamoDBDocumentClient.from(new DynamoDBClient(wiring.aws)),
    ...loadConfig(wiring.env, ['locksTable']),
  });
}

/** The secret store (SSM) and rotation lock (LOCKS_TABLE) the rotation functions use. */
export function wiredRotationPorts(wiring: Wiring): { store: SecretStore; lock: RotationLock } {
  return { store: createSsmSecretStore(new SSMClient(wiring.aws)), lock: wiredRotationLock(wiring) };
}
