import type { Failure } from '@aws-sdk/client-ecs';

// ECS's Describe* operations answer every reference they find and list each
// one they do not as a `MISSING` failure under its ARN (a bare name expanded),
// never an error for the whole call.

/** The found views of `references`, and a MISSING failure for each one `find` does not know. */
export function describeMany<Found, View>(
  references: readonly string[],
  find: (reference: string) => Found | undefined,
  view: (found: Found) => View,
  arnOf: (name: string) => string,
): { found: View[]; failures: Failure[] } {
  const found: View[] = [];
  const failures: Failure[] = [];
  for (const reference of references) {
    const item = find(reference);
    if (item !== undefined) found.push(view(item));
    else failures.push({ arn: reference.startsWith('arn:') ? reference : arnOf(reference), reason: 'MISSING' });
  }
  return { found, failures };
}
