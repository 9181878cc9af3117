// Named errors. A Lambda that throws one of these fails with its `name` as the
// Step Functions error, which the ASL's Retry and Catch lists match on.

/** The base of every named error, platform's and each feature's: its `name` is its identity. */
export abstract class NamedError extends Error {
  abstract override readonly name: string;
}

/** A throttled or transient AWS failure that is worth retrying. */
export class TransientError extends NamedError {
  override readonly name = 'TransientError';
}

/** Configuration missing or invalid at cold start. */
export class ConfigurationError extends NamedError {
  override readonly name = 'ConfigurationError';
}

/** Input that does not match the expected shape; nothing was changed. */
export class InvalidInputError extends NamedError {
  override readonly name = 'InvalidInputError';
}

/** The ECS service the catalog names does not exist or is not active. */
export class ServiceNotFoundError extends NamedError {
  override readonly name = 'ServiceNotFoundError';
}

/** The task definition has no container of the catalog's name. */
export class ContainerNotFoundError extends NamedError {
  override readonly name = 'ContainerNotFoundError';
}

/** The pushed tag or digest is not in the repository. */
export class ImageNotFoundError extends NamedError {
  override readonly name = 'ImageNotFoundError';
}

/** Registering the revision or updating the service failed; the service was not changed. */
export class DeployFailedError extends NamedError {
  override readonly name = 'DeployFailedError';
}

/** The deployment failed (tasks stopped, circuit breaker rolled it back). */
export class DeploymentFailedError extends NamedError {
  override readonly name = 'DeploymentFailedError';
}

/** The service did not become stable before the deadline. */
export class StabilityTimeoutError extends NamedError {
  override readonly name = 'StabilityTimeoutError';
}

/** One or more smoke checks failed after every attempt. */
export class SmokeTestFailedError extends NamedError {
  override readonly name = 'SmokeTestFailedError';
}

/** The rollback could not be started or did not end on the previous revision. */
export class RollbackFailedError extends NamedError {
  override readonly name = 'RollbackFailedError';
}

/** Another release held the target for longer than this one may wait. */
export class LockWaitTimeoutError extends NamedError {
  override readonly name = 'LockWaitTimeoutError';
}

/** A stored release record that does not match its schema; read as it is, it would mislead. */
export class MalformedReleaseError extends NamedError {
  override readonly name = 'MalformedReleaseError';
}

/** The canary's metrics could not be read (the query was refused); nothing was judged. */
export class CanaryCheckFailedError extends NamedError {
  override readonly name = 'CanaryCheckFailedError';
}

/** ECS refused to continue a paused native deployment (its hook had timed out or the deployment ended). */
export class AdvanceFailedError extends NamedError {
  override readonly name = 'AdvanceFailedError';
}

/** A running release found its target's lock held by another release (its lease ran out unrenewed). */
export class LockLostError extends NamedError {
  override readonly name = 'LockLostError';
}

/** The deployment role of a target in another account or region could not be assumed (its trust, its ARN, STS). */
export class TargetAccessError extends NamedError {
  override readonly name = 'TargetAccessError';
}
