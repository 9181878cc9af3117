import { bounded } from '../platform/message-text.ts';

/** A Step Functions Catch result: the error name and its cause (a JSON string from Lambda). */
export interface CaughtError {
  Error: string;
  Cause?: string;
}

// Reasons end up in Slack messages and release records: long stack-laden
// causes are cut rather than rejected.
const MAX_REASON_LENGTH = 1500;

/** A readable one-line-ish reason for a Step Functions Catch result (`Error: message`). */
export function describeCaughtError(error: CaughtError): string {
  const cause = error.Cause?.trim();
  if (!cause) return error.Error;
  const fromLambda = parseLambdaCause(cause);
  const name = fromLambda?.errorType ?? error.Error;
  const message = fromLambda ? fromLambda.errorMessage : cause;
  if (!message) return name;
  const reason = message.startsWith(name) ? message : `${name}: ${message}`;
  return bounded(reason, MAX_REASON_LENGTH);
}

// Lambda failures arrive as a JSON string {"errorType","errorMessage","trace"};
// causes from Step Functions itself (States.Timeout, ...) are plain text.
function parseLambdaCause(cause: string): { errorType?: string; errorMessage?: string } | undefined {
  if (!cause.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(cause);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const { errorType, errorMessage } = parsed as Record<string, unknown>;
  if (typeof errorMessage !== 'string' && typeof errorType !== 'string') return undefined;
  return {
    ...(typeof errorType === 'string' && errorType !== '' ? { errorType } : {}),
    ...(typeof errorMessage === 'string' ? { errorMessage: errorMessage.trim() } : {}),
  };
}
