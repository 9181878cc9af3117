import * as z from 'zod';
import { parseEvent } from '../../platform/parse-event.ts';
import type { StoppedExecution } from '../abandon.ts';

/**
 * EventBridge's "Step Functions Execution Status Change" event, as the Step
 * Functions Developer Guide documents it: dates in epoch milliseconds. Other
 * fields are ignored, the execution's input too: whatever started it, its
 * releases are found by its ARN (abandon.ts).
 */
export const executionStatusChangeSchema = z.object({
  source: z.literal('aws.states'),
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({
    executionArn: z.string().min(1),
    status: z.enum(['ABORTED', 'TIMED_OUT', 'FAILED']),
    stopDate: z.number().int().nonnegative(),
    error: z.string().nullish(),
    cause: z.string().nullish(),
  }),
});

/** The stopped execution an event reports. */
export function parseStoppedExecution(input: unknown): StoppedExecution {
  const { detail } = parseEvent(executionStatusChangeSchema, input);
  return {
    executionArn: detail.executionArn,
    status: detail.status,
    stoppedAt: new Date(detail.stopDate).toISOString(),
    ...(detail.error ? { error: detail.error } : {}),
    ...(detail.cause ? { cause: detail.cause } : {}),
  };
}
