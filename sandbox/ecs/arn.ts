import { randomBytes } from 'node:crypto';

// ECS's ids in its own formats. The ARN builders and the location moved to
// sandbox/aws/ (ECR and the load balancers use them too); they are exported
// here as well because this is where the ECS world's users find them.
export { Arns } from '../aws/arns.ts';
export { type AwsLocation, defaultLocation } from '../aws/location.ts';

/** A task id: 32 hex characters. */
export const newTaskId = (): string => randomBytes(16).toString('hex');

/** A deployment or service revision id: 19 decimal digits, as ECS prints them. */
export function newNumericId(): string {
  const digits = [...randomBytes(19)].map((byte) => String(byte % 10)).join('');
  return `${1 + (Number(digits[0]) % 9)}${digits.slice(1)}`;
}

/** A service deployment id: 21 URL-safe characters. */
export const newServiceDeploymentId = (): string => randomBytes(16).toString('base64url').slice(0, 21);

/** The last path segment of an ARN, or the value itself when it is a plain name. */
export function nameOf(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? (nameOrArn.split('/').at(-1) ?? nameOrArn) : nameOrArn;
}
