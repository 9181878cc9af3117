import { AwsApiError } from './service.ts';

// List operations page with an opaque nextToken; the sandbox's token is the
// offset into a stable ordering, which is enough for lists that only grow at
// their ends while a caller pages.

/** The error a service answers a nextToken it did not issue with. */
export interface InvalidTokenError {
  code: string;
  message: string;
}

/** A JSON service's answer to a nextToken it did not issue: its own invalid-parameter error (ECS, ECR, CloudWatch). */
export const invalidNextToken = (wire: { errors: { invalid: string } }): InvalidTokenError => ({
  code: wire.errors.invalid,
  message: 'The nextToken is not valid.',
});

/** One page of `items` from the offset in `nextToken`. */
export function page<T>(
  items: readonly T[],
  nextToken: string | undefined,
  maxResults: number,
  invalidToken: InvalidTokenError,
): { items: T[]; nextToken?: string } {
  let offset = 0;
  if (nextToken !== undefined) {
    offset = Number(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0) throw new AwsApiError(invalidToken.code, invalidToken.message);
  }
  const slice = items.slice(offset, offset + maxResults);
  const next = offset + maxResults;
  return next < items.length
    ? { items: slice, nextToken: Buffer.from(String(next)).toString('base64url') }
    : { items: slice };
}
