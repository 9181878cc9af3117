/** What taking a secret's rotation lock found: it is ours now, another rotation holds it, or this rotation already completed. */
export type RotationLockResult =
  | { status: 'ACQUIRED' }
  | { status: 'BUSY'; holder: string; expiresAt: string }
  | { status: 'COMPLETED' };

/** One rotation of a secret at a time; every decision is a conditional write. */
export interface RotationLock {
  /** Takes the parameter's lock for `rotationId` until `expiresAt`, if it is free, expired or already this rotation's. */
  acquire(
    parameter: string,
    rotationId: string,
    lease: { now: string; expiresAt: string },
  ): Promise<RotationLockResult>;
  /** Moves the lease of `rotationId` to `expiresAt`; false when it no longer holds the lock. */
  renew(parameter: string, rotationId: string, expiresAt: string): Promise<boolean>;
  /** Lets go of the lock if `rotationId` holds it; `completed` remembers the id so the same rotation never runs twice. */
  release(parameter: string, rotationId: string, ending: { completed: boolean; at: string }): Promise<void>;
}
