// A rotation's named errors; their names are what state-machines/rotation.asl.yml
// catches. Messages name parameters, versions and roles, never a value.

import { NamedError } from '../platform/errors.ts';

/** The new value did not work at its target; nothing was published. */
export class RotationTestFailedError extends NamedError {
  override readonly name = 'RotationTestFailedError';
}

/** The target refused to take the new value (e.g. ALTER ROLE failed); nothing was published. */
export class RotationSetFailedError extends NamedError {
  override readonly name = 'RotationSetFailedError';
}

/** What a step found in SSM does not fit the rotation it runs for (no pending value of this rotation, a malformed value). */
export class RotationStateError extends NamedError {
  override readonly name = 'RotationStateError';
}

/** Publishing would hit SSM's 100-version limit on a parameter whose oldest version carries a label. */
export class ParameterHistoryFullError extends NamedError {
  override readonly name = 'ParameterHistoryFullError';
}

/** A dependent service could not be rolled (not active, or ECS started no deployment). */
export class RollFailedError extends NamedError {
  override readonly name = 'RollFailedError';
}

/**
 * A dependent service still runs tasks that may log in with the credential this
 * rotation would reset: refused before anything changed; the message says how to recover.
 */
export class CredentialInUseError extends NamedError {
  override readonly name = 'CredentialInUseError';
}
