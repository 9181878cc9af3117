import { NamedError } from '../../src/platform/errors.ts';

/** A scenario file that is not valid: nothing was simulated. */
export class InvalidScenarioError extends NamedError {
  override readonly name = 'InvalidScenarioError';
}

/** A judge answered a decision the release state machine has no branch for. */
export class UnknownDecisionError extends NamedError {
  override readonly name = 'UnknownDecisionError';
}

/** A judge kept a release waiting longer than ECS keeps a hook paused. */
export class EndlessReleaseError extends NamedError {
  override readonly name = 'EndlessReleaseError';
}
