import * as z from 'zod';
import { defineStep } from '../platform/step.ts';
import { caughtErrorSchema, releaseRequestSchema } from '../release/index.ts';
import { canaryQuestionSchema } from './canary-question.ts';

const text = z.string().min(1);

/**
 * `requestApproval` (.waitForTaskToken): stores the token under a short id and
 * posts the approval message. The task's result is the approver's answer.
 */
export const requestApprovalStep = defineStep({
  name: 'requestApproval',
  input: z.object({
    request: releaseRequestSchema,
    executionId: text,
    taskToken: text,
    notice: z.object({ ts: text.optional(), channel: text.optional() }).optional(),
    // The wait's length, which the state passes for the TimeoutSecondsPath the sandbox reads; the catalog holds it too.
    timeoutSeconds: z.number().int().positive().optional(),
    // An inconclusive canary's question (continue or roll back) instead of a release's approval.
    canary: canaryQuestionSchema.optional(),
  }),
  output: z.object({ approvalId: text }),
  callbackOutput: z.object({ verdict: text, by: text, at: z.iso.datetime({ offset: true }) }),
});

/** `closeApproval`: `{ request, error, canary? }` of a release not approved (or a canary question rolled back) → `{ approvalId, verdict, reason }` for its record. */
export const closeApprovalStep = defineStep({
  name: 'closeApproval',
  input: z.object({ request: releaseRequestSchema, error: caughtErrorSchema, canary: canaryQuestionSchema.optional() }),
  output: z.object({ approvalId: text, verdict: z.enum(['REJECTED', 'EXPIRED']), reason: text }),
});
