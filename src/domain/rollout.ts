import type { ServiceDeploymentStatus } from '../ports/ecs.ts';
import type { RolloutMode } from './release.ts';

/** Where a service deployment stands for the release watching it. */
export type RolloutPhase = 'IN_PROGRESS' | 'SUCCESSFUL' | 'FAILED';

/**
 * Reads a service deployment's status. Deploying, any rollback (the circuit
 * breaker's included) is a failure; rolling back, ROLLBACK_SUCCESSFUL and
 * SUCCESSFUL are both success, to be checked against the revision the service
 * ends on. A status this code does not know counts as still in progress, so
 * the deadline, not a guess, ends the wait.
 */
export function readRollout(status: ServiceDeploymentStatus, mode: RolloutMode): RolloutPhase {
  switch (status) {
    case 'PENDING':
    case 'IN_PROGRESS':
      return 'IN_PROGRESS';
    case 'SUCCESSFUL':
      return 'SUCCESSFUL';
    case 'ROLLBACK_REQUESTED':
    case 'ROLLBACK_IN_PROGRESS':
      return mode === 'deploy' ? 'FAILED' : 'IN_PROGRESS';
    case 'ROLLBACK_SUCCESSFUL':
      return mode === 'deploy' ? 'FAILED' : 'SUCCESSFUL';
    case 'STOPPED':
    case 'STOP_REQUESTED':
    case 'ROLLBACK_FAILED':
      return 'FAILED';
    default:
      return 'IN_PROGRESS';
  }
}
