import * as z from 'zod';
import { targetAccessSchema } from '../platform/index.ts';
import { ROLLOUT_MODES, type StabilityQuery } from '../release/index.ts';
import type { RotationRequest } from './rotation.ts';

// Schemas of the rotation contracts the roll functions receive from the state machine.

const text = z.string().min(1);

/** A catalog target that may read the secret, as the roll needs it. */
export const rollTargetSchema = z.object({
  service: text,
  environment: text,
  cluster: text,
  ecsService: text,
  stabilityDeadlineSeconds: z.number().int().positive(),
  /** Where its ECS service lives and the role that reaches it (absent: the automation's own account and region). */
  access: targetAccessSchema.optional(),
});

export const rollQuerySchema: z.ZodType<StabilityQuery> = z.object({
  cluster: text,
  ecsService: text,
  serviceDeploymentArn: text,
  taskDefinitionArn: text,
  deadline: z.iso.datetime({ offset: true }),
  mode: z.enum(ROLLOUT_MODES),
});

/** What `finishRotation` published: the parameter's version now labelled current, and the one labelled previous. */
export const publishedSchema = z.object({
  parameter: text,
  version: z.number().int(),
  previousVersion: z.number().int().optional(),
});

// Rotation ids are execution names or ids a CLI makes: short, no spaces.
export const rotationRequestSchema: z.ZodType<RotationRequest> = z.object({
  parameter: z.string().min(1).max(1011),
  rotationId: z.string().regex(/^[A-Za-z0-9_.:-]{1,80}$/, {
    message: 'must be 1-80 letters, digits, ".", "_", ":" or "-"',
  }),
  requestedBy: z.string().min(1).max(200).optional(),
});
