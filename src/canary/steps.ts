import * as z from 'zod';
import { defineStep } from '../platform/step.ts';
import { canaryCheckRequestSchema } from './check-schema.ts';

const text = z.string().min(1);
const instant = z.iso.datetime({ offset: true });
const history = z.object({ failures: z.number().int(), inconclusive: z.number().int() });
const window = z.object({ start: instant, end: instant });

/**
 * `canaryCheck`: one analysis of a canary step → the verdict, the decision, the
 * reason, each metric's judgement, the history to pass on and the windows read.
 */
export const canaryCheckStep = defineStep({
  name: 'canaryCheck',
  input: canaryCheckRequestSchema,
  output: z.object({
    verdict: z.enum(['pass', 'fail', 'inconclusive']),
    decision: z.enum(['continue', 'rollback', 'wait', 'ask']),
    reason: text,
    // Each metric's own judgement (error rate, latency, custom); the state machine hands them to notify whole.
    metrics: z.array(z.looseObject({ metric: z.string(), verdict: z.string(), reason: z.string() })),
    history,
    window: window.extend({ baseline: window.optional() }),
  }),
});
