import type { SecretConfig } from '../catalog/index.ts';
import { RotationStateError } from './errors.ts';
import type { ParameterVersion } from './ports/secret-store.ts';

// The rotation protocol's shared terms.
//
// Why a separate pending parameter and not a pending label on the parameter
// itself: every PutParameter makes the new version the latest, and ECS injects
// the latest version of a name when a task starts; it cannot pin a version or
// a label. A value written to the parameter before it is tested could reach a
// task started by a scale-out or a crash at that moment. So the untested value
// lives under PENDING_PREFIX + the parameter's name, which no task definition
// reads, and reaches the parameter itself only in `finish`, after `test`
// logged in with it. The parameter's labels `current` and `previous` then name
// the published version and the one before (what `npx release secrets history`
// shows), and only those two versions are ever labelled, so SSM can drop the
// oldest of its 100 kept versions (a labelled oldest version would block every
// new write). The pending parameter is deleted when the rotation ends, so its
// own history never grows.

/** The prefix of every pending parameter (serverless.yml scopes IAM to it). */
export const PENDING_PREFIX = '/release-automation/rotation-pending';
export const CURRENT_LABEL = 'current';
export const PREVIOUS_LABEL = 'previous';

/** The name of the parameter holding `parameter`'s untested next value. */
export const pendingParameterName = (parameter: string): string => `${PENDING_PREFIX}${parameter}`;

/** One rotation of one secret: the id every step is idempotent under. */
export interface RotationRequest {
  parameter: string;
  rotationId: string;
  requestedBy?: string;
}

/** A secret as the catalog configures it, with its catalog name. */
export interface RotatingSecret extends SecretConfig {
  name: string;
}

/** The pending parameter's value: the next value and the rotation that made it. */
export interface PendingValue {
  rotationId: string;
  value: string;
}

/** A postgres-credentials value as published: the role to log in as and its password. */
export interface PostgresCredential {
  username: string;
  password: string;
}

/**
 * The KMS key a secret's values are written under, the pending one included:
 * the key of its latest version (SSM would put a write without one under
 * aws/ssm, whatever key the secret was given). None before the first version.
 */
export const secretKey = (history: readonly ParameterVersion[]): { keyId?: string } => {
  const keyId = history.at(-1)?.keyId;
  return keyId === undefined ? {} : { keyId };
};

/** Reads a pending parameter's value; a malformed one is a RotationStateError naming the parameter, not its content. */
export function parsePending(text: string, name: string): PendingValue {
  const parsed = parseJson(text);
  if (typeof parsed?.rotationId === 'string' && typeof parsed.value === 'string') {
    return { rotationId: parsed.rotationId, value: parsed.value };
  }
  throw new RotationStateError(`the pending parameter ${name} does not hold a rotation's value`);
}

/** Reads a `{"username","password"}` value; `what` names it in the error, which never quotes it. */
export function parseCredential(text: string, what: string): PostgresCredential {
  const parsed = parseJson(text);
  if (typeof parsed?.username === 'string' && typeof parsed.password === 'string' && parsed.username !== '') {
    return { username: parsed.username, password: parsed.password };
  }
  throw new RotationStateError(`${what} is not a JSON object with string fields username and password`);
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
