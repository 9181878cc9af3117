import { defineStep } from '../platform/step.ts';
import { canaryCheckRequestSchema, canaryCheckResultSchema } from './check-schema.ts';

/**
 * `canaryCheck`: one analysis of a canary step → the verdict, the decision, the
 * reason, each metric's figures, the histories to pass on and the windows read.
 */
export const canaryCheckStep = defineStep({
  name: 'canaryCheck',
  input: canaryCheckRequestSchema,
  output: canaryCheckResultSchema,
});
