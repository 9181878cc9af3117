import { AwsApiError } from '../aws/service.ts';

// List operations page with an opaque nextToken; the sandbox's token is the
// offset into a stable ordering, which is enough for lists that only grow at
// their ends while a caller pages.

/** One page of `items` from the offset in `nextToken`. */
export function page<T>(
  items: readonly T[],
  nextToken: string | undefined,
  maxResults: number,
  invalidCode = 'InvalidParameterException',
): { items: T[]; nextToken?: string } {
  let offset = 0;
  if (nextToken !== undefined) {
    offset = Number(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(offset) || offset < 0) throw new AwsApiError(invalidCode, 'The nextToken is not valid.');
  }
  const slice = items.slice(offset, offset + maxResults);
  const next = offset + maxResults;
  return next < items.length
    ? { items: slice, nextToken: Buffer.from(String(next)).toString('base64url') }
    : { items: slice };
}
