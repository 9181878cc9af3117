import * as z from 'zod';
import type { StoppedExecution } from '../domain/abandon.ts';
import { parseEvent } from '../runtime/parse-event.ts';
import { parseEcrPush } from './ecr-push.ts';

/**
 * EventBridge's "Step Functions Execution Status Change" event, as the Step
 * Functions Developer Guide documents it: dates in epoch milliseconds, the
 * execution's input as JSON text (null when it was too large to include).
 * Other fields are ignored.
 */
export const executionStatusChangeSchema = z.object({
  source: z.literal('aws.states'),
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({
    executionArn: z.string().min(1),
    status: z.enum(['ABORTED', 'TIMED_OUT', 'FAILED']),
    stopDate: z.number().int().nonnegative(),
    input: z.string().nullish(),
    error: z.string().nullish(),
    cause: z.string().nullish(),
  }),
});

/** The stopped execution an event reports; the push it was started by, when its input is one. */
export function parseStoppedExecution(input: unknown): StoppedExecution {
  const { detail } = parseEvent(executionStatusChangeSchema, input);
  const push = pushFrom(detail.input);
  return {
    executionArn: detail.executionArn,
    status: detail.status,
    stoppedAt: new Date(detail.stopDate).toISOString(),
    ...(push ? { push } : {}),
    ...(detail.error ? { error: detail.error } : {}),
    ...(detail.cause ? { cause: detail.cause } : {}),
  };
}

// An execution started by hand with other input released nothing this could end.
function pushFrom(text: string | null | undefined) {
  if (!text) return undefined;
  try {
    return parseEcrPush(JSON.parse(text));
  } catch {
    return undefined;
  }
}
