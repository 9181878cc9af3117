import { TransientError } from './errors.ts';

// The SDK's own classification (smithy's service-error-classification), by
// error name, HTTP status, fault and retryable trait; it is not a declared
// dependency, so the few rules it applies are spelled out here.
const THROTTLING_NAMES = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);
const TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);

interface SdkErrorShape {
  code?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/**
 * An Error by shape, not by `instanceof`: Node's own network errors (a socket
 * hang up) come from another realm than the caller's under VM contexts such as
 * Jest's, and would escape an `instanceof Error` check.
 */
function isErrorLike(error: unknown): error is Error & SdkErrorShape {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { name?: unknown }).name === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

function isRetryable(error: Error & SdkErrorShape): boolean {
  const status = typeof error.$metadata?.httpStatusCode === 'number' ? error.$metadata.httpStatusCode : undefined;
  return (
    THROTTLING_NAMES.has(error.name) ||
    TIMEOUT_NAMES.has(error.name) ||
    (typeof error.code === 'string' && NETWORK_CODES.has(error.code)) ||
    status === 429 ||
    (status !== undefined && status >= 500) ||
    // A service's own 5xx exception (e.g. ECS ServerException), even without HTTP metadata.
    error.$fault === 'server' ||
    error.$retryable !== undefined
  );
}

/**
 * Throttling, 5xx and network failures, once the SDK's own retries are spent,
 * become TransientError so the state machine's Retry (backoff and jitter)
 * tries again; every other error is returned untouched for the caller to name.
 */
export function classifyAwsError(operation: string, error: unknown): unknown {
  if (isErrorLike(error) && isRetryable(error)) {
    return new TransientError(`${operation} failed, worth retrying: ${error.name}: ${error.message}`, { cause: error });
  }
  return error;
}

/** Runs one AWS call, classifying its failure (see classifyAwsError). */
export async function awsCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw classifyAwsError(operation, error);
  }
}
