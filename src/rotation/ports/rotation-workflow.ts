import type { RotationRequest } from '../rotation.ts';

/** The rotation state machine, started by hand. Throttling rejects with TransientError. */
export interface RotationWorkflow {
  /** Starts a rotation; the execution is named by its rotation id, so a repeated start is the same execution. */
  start(request: RotationRequest): Promise<{ executionArn: string }>;
}
