import { isServerError, isThrottlingError, isTransientError } from '@smithy/service-error-classification';
import { TransientError } from '../domain/errors.ts';

type SdkError = Parameters<typeof isThrottlingError>[0];

/**
 * Throttling, 5xx and network failures, once the SDK's own retries are spent,
 * become TransientError so the state machine's Retry (backoff and jitter)
 * tries again; every other error is returned untouched for the caller to name.
 */
export function classifyAwsError(operation: string, error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const sdkError = error as SdkError;
  const retryable =
    isThrottlingError(sdkError) ||
    isTransientError(sdkError) ||
    isServerError(sdkError) ||
    // A service's own 5xx exception (e.g. ECS ServerException) or a retryable trait, even without HTTP metadata.
    sdkError.$fault === 'server' ||
    sdkError.$retryable !== undefined;
  if (retryable) {
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
