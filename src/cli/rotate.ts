import { randomBytes } from 'node:crypto';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { rotationRequest } from '../rotation/index.ts';
import type { CatalogSecret } from './catalog-secrets.ts';
import { stateMachineArn, type Target } from './target.ts';

export const rotateUsage = `Usage: release rotate <parameter> [--watch] [--by <name>]

Rotates one of the catalog's secrets now (its SSM parameter name, e.g.
/release-automation/sandbox/web/db): starts the rotation state machine, which
makes a new value, tests it, publishes it and rolls the services that read it.
Prints the execution; values are never printed.
  --watch        follow the rotation until it ends (exit 0 if it succeeded)
  --by <name>    who asked (default: your user name)`;

/** Raised when the parameter is not one of the catalog's secrets: nothing is started. */
export class UnknownSecretError extends Error {
  override name = 'UnknownSecretError';
}

/** The catalog secret a parameter name belongs to; UnknownSecretError when none does. */
export function catalogSecret(
  secrets: readonly CatalogSecret[],
  parameter: string,
  catalogFile: string,
): CatalogSecret {
  const found = secrets.find((secret) => secret.parameter === parameter);
  if (found) return found;
  const known = secrets.map((secret) => secret.parameter);
  throw new UnknownSecretError(
    `${parameter} is not a secret in the catalog (${catalogFile}); ${
      known.length === 0 ? 'it has no secrets' : `its secrets are ${known.join(', ')}`
    }`,
  );
}

/** Starts the rotation state machine for one catalog secret; resolves to the execution ARN. */
export async function startRotation(
  target: Target,
  secret: CatalogSecret,
  requestedBy: string,
  now: Date = new Date(),
): Promise<string> {
  const request = rotationRequest(secret.parameter, requestedBy, now, randomBytes(4).toString('hex'));
  const { executionArn } = await target.sfn.send(
    new StartExecutionCommand({
      stateMachineArn: await stateMachineArn(target, target.rotationStateMachineName),
      name: request.rotationId,
      input: JSON.stringify(request),
    }),
  );
  if (!executionArn) throw new Error(`${target.rotationStateMachineName} answered StartExecution without an ARN`);
  return executionArn;
}
