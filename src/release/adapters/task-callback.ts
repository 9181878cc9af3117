import { classifyAwsError } from '../../platform/aws-errors.ts';
import { TransientError } from '../../platform/errors.ts';
import type { TaskAnswer } from '../ports/workflow.ts';

// What Step Functions answers for a token whose task is gone: answered before,
// timed out, its execution ended, or the token is not one it issued.
const GONE = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

/** A callback Step Functions refused for another reason; named by the error only (its message could quote the token). */
export class TaskCallbackError extends Error {
  override readonly name = 'TaskCallbackError';
}

/**
 * Sends a task callback (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat):
 * DELIVERED, or EXPIRED when the task is gone. Any other refusal is a
 * TransientError (throttling, a 5xx: worth retrying) or a TaskCallbackError,
 * with `refused` saying what was refused and the error's name, never its
 * message, which could quote the token.
 */
export async function sendTaskCallback(
  operation: string,
  refused: (errorName: string) => string,
  send: () => Promise<unknown>,
): Promise<TaskAnswer> {
  try {
    await send();
    return 'DELIVERED';
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    if (GONE.has(name)) return 'EXPIRED';
    const message = refused(name);
    throw classifyAwsError(operation, error) instanceof TransientError
      ? new TransientError(message)
      : new TaskCallbackError(message);
  }
}
