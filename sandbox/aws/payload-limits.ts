// AWS's payload limits where the functions meet them, so that what the
// sandbox accepts, AWS accepts: Step Functions' 256 KiB for execution input
// and state data, Lambda's 6 MB for a synchronous invocation's request and
// response, EventBridge's 256 KB for the entries of one PutEvents.

/** Step Functions: the largest execution input, and state input or output, in bytes (UTF-8). */
export const STATE_DATA_LIMIT_BYTES = 262_144;
/** Lambda: the largest synchronous request or response payload, in bytes. */
export const LAMBDA_PAYLOAD_LIMIT_BYTES = 6_291_456;
/** EventBridge: the largest total size of one PutEvents request's entries, in bytes. */
export const PUT_EVENTS_LIMIT_BYTES = 262_144;

/** The size a JSON value has on the wire, in UTF-8 bytes. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value ?? null), 'utf8');
}

/**
 * The size EventBridge counts for one PutEvents entry: 14 bytes for a Time,
 * then Source, DetailType, Detail and each resource in UTF-8 bytes.
 */
export function putEventsEntryBytes(entry: Record<string, unknown>): number {
  const text = (value: unknown) => (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);
  const resources = Array.isArray(entry.Resources) ? entry.Resources : [];
  return (
    (entry.Time === undefined ? 0 : 14) +
    text(entry.Source) +
    text(entry.DetailType) +
    text(entry.Detail) +
    resources.reduce((sum: number, resource: unknown) => sum + text(resource), 0)
  );
}

/**
 * Step Functions' States.DataLimitExceeded: a terminal error that no Retry or
 * Catch (not even States.ALL) handles; the execution fails. The interpreter
 * reads `isRetryable`/`isCatchable` off the error it is thrown.
 */
export class DataLimitExceededError extends Error {
  override readonly name = 'States.DataLimitExceeded';
  readonly isRetryable = false;
  readonly isCatchable = false;
}
