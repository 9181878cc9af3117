import { createHmac, randomBytes } from 'node:crypto';
import type { AwsLocation } from '../aws/location.ts';
import type { ParameterStore, ParameterVersion } from './parameter-store.ts';

/** What SSM's operations act on: the store, and where its ARNs live. */
export interface SsmModel {
  store: ParameterStore;
  location: AwsLocation;
}

/** A parameter's ARN (a name without a leading slash gets one). */
export const parameterArn = ({ region, accountId }: AwsLocation, name: string): string =>
  `arn:aws:ssm:${region}:${accountId}:parameter${name.startsWith('/') ? '' : '/'}${name}`;

/** Who the sandbox says modified a parameter last. */
export const lastModifiedUser = ({ accountId }: AwsLocation): string => `arn:aws:iam::${accountId}:user/sandbox`;

/** A parameter's value as the API shows it: a SecureString read without decryption shows ciphertext, never the value. */
export const shownValue = (parameter: ParameterVersion, decrypt: boolean): string =>
  parameter.type === 'SecureString' && !decrypt ? ciphertext(parameter) : parameter.value;

/** A parameter as GetParameter(s) and GetParametersByPath show it. */
export function parameterView(
  location: AwsLocation,
  parameter: ParameterVersion & { selector?: string },
  decrypt: boolean,
) {
  return {
    Name: parameter.name,
    Type: parameter.type,
    Value: shownValue(parameter, decrypt),
    Version: parameter.version,
    ...(parameter.selector ? { Selector: parameter.selector } : {}),
    LastModifiedDate: parameter.lastModifiedDate,
    ARN: parameterArn(location, parameter.name),
    DataType: parameter.dataType,
  };
}

// A key of this process only, so the stand-in ciphertext says nothing about the value.
const KMS_STAND_IN_KEY = randomBytes(32);

/** Stands in for the KMS ciphertext AWS shows of an undecrypted SecureString: opaque, stable, not the value. */
function ciphertext(parameter: ParameterVersion): string {
  const digest = createHmac('sha256', KMS_STAND_IN_KEY)
    .update(`${parameter.name}\0${parameter.version}\0${parameter.value}`)
    .digest();
  return `AQICAH${digest.toString('base64')}`;
}
