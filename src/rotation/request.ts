import type { RotationRequest } from './rotation.ts';

// How a rotation is asked for by hand (`npx release rotate`, `/release rotate`):
// the rotation id, which is also the execution's name, and the state machine's
// input. The id is the key every step is idempotent under, so asking again
// under the same id resumes that rotation rather than starting another.

/** The rotation state machine's input when started by hand: who asked is always known. */
export type ManualRotationRequest = RotationRequest & { requestedBy: string };

// Step Functions execution names: at most 80 of letters, digits, "-" and "_".
const NAME_MAX = 80;

/** `rotate-<UTC stamp>-<suffix>`: sortable by time, unique by `suffix` (random, or the request's own id). */
export function rotationId(now: Date, suffix: string): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '').slice(0, 15);
  return `rotate-${stamp}-${suffix.replace(/[^A-Za-z0-9_-]/g, '')}`.slice(0, NAME_MAX);
}

/** The input that starts a rotation of `parameter` asked for by `requestedBy`. */
export function rotationRequest(
  parameter: string,
  requestedBy: string,
  now: Date,
  suffix: string,
): ManualRotationRequest {
  return { parameter, rotationId: rotationId(now, suffix), requestedBy };
}
