import * as z from 'zod';
import { defineStep } from '../platform/step.ts';
import { ecrImageActionSchema, refusedTargetSchema, releaseRequestSchema } from '../release/index.ts';
import { gitHubReleaseEventSchema } from './events/release.ts';

// `plan` is where the two triggers meet: the release state machine hands it
// the execution's input whole, an ECR push or a published GitHub release.

/** `plan`: the execution's event → the releases it asks for, the targets refused, or why none. */
export const planStep = defineStep({
  name: 'plan',
  input: z.union([ecrImageActionSchema, gitHubReleaseEventSchema]),
  output: z.object({
    releases: z.array(releaseRequestSchema),
    refusedTargets: z.array(refusedTargetSchema),
    refused: z.string().optional(),
  }),
});
