import { finishRotation } from '../../src/rotation/publish.ts';
import type { RotationRequest } from '../../src/rotation/rotation.ts';
import { beginRotation, createPending, endRotation, setPending, testPending } from '../../src/rotation/steps.ts';
import type { RotationWorld } from '../support/rotation-world.ts';

// The rotation's steps in the state machine's order, called as the functions
// call them, so a test can stop after any of them (a crash) and run again.

export const STEPS = ['begin', 'create', 'set', 'test', 'finish', 'end'] as const;
export type Step = (typeof STEPS)[number];

const now = () => new Date();

/** Runs one step of `request` in `world`. */
export async function runStep(world: RotationWorld, request: RotationRequest, step: Step): Promise<unknown> {
  const { store, lock, target, generate, secret } = world;
  switch (step) {
    case 'begin':
      return beginRotation(request, { lock, now });
    case 'create':
      // No ECS in this world: no service runs the secret (test/state-machine covers dependents).
      return createPending(request, secret, { store, generate, dependentsOnOlderValue: async () => [] });
    case 'set':
      return setPending(request, { store, target });
    case 'test':
      return testPending(request, { store, target });
    case 'finish':
      return finishRotation(request, { store });
    case 'end':
      return endRotation(request, 'PUBLISHED', { store, lock, now });
  }
}

/**
 * Runs the steps of `request` in order, as the state machine would, stopping
 * when begin does not acquire; `after` is called after each step.
 */
export async function rotate(
  world: RotationWorld,
  request: RotationRequest,
  after: (step: Step) => Promise<void> = async () => undefined,
): Promise<string> {
  for (const step of STEPS) {
    const result = await runStep(world, request, step);
    if (step === 'begin' && (result as { status: string }).status !== 'ACQUIRED') {
      return (result as { status: string }).status;
    }
    await after(step);
  }
  return 'ROTATED';
}
