import { constraintWording } from '../aws/input-wording.ts';
import type { ServiceWire } from '../aws/operation-table.ts';
import { AwsApiError } from '../aws/service.ts';

/** How IAM is reached: the Query protocol only (signing name `iam`), Smithy's validation wording. */
export const IAM_WIRE: ServiceWire = {
  name: 'IAM',
  targetPrefix: 'AWSIdentityManagementV20100508',
  signingName: 'iam',
  errors: { invalid: 'ValidationError', missing: 'ValidationError', wording: constraintWording },
};

/** IAM's and STS's `ValidationError` for one member: `1 validation error detected: Value 'x' at 'roleName' failed to satisfy constraint: …`. */
export function constraintError(field: string, value: string | number, constraint: string): AwsApiError {
  return new AwsApiError(
    'ValidationError',
    `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

/** Checks a string member's length and pattern as IAM's and STS's models constrain them. */
export function checkText(field: string, value: string, min: number, max: number, pattern?: RegExp): void {
  if (value.length < min)
    throw constraintError(field, value, `Member must have length greater than or equal to ${min}`);
  if (value.length > max) throw constraintError(field, value, `Member must have length less than or equal to ${max}`);
  if (pattern && !new RegExp(`^(?:${pattern.source})$`, 'u').test(value)) {
    throw constraintError(field, value, `Member must satisfy regular expression pattern: ${pattern.source}`);
  }
}
