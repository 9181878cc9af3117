import type { ServiceWire } from '../aws/operation-table.ts';
import { invalidNextToken } from '../aws/paging.ts';

/**
 * How CloudWatch is reached: the SDK v3 speaks JSON 1.0 to it (X-Amz-Target
 * GraniteServiceVersion20100801.<Operation>), the AWS CLI v2 the Query
 * protocol (signing name `monitoring`); the endpoint decodes both.
 */
export const CLOUDWATCH_WIRE: ServiceWire = {
  name: 'CloudWatch',
  targetPrefix: 'GraniteServiceVersion20100801',
  signingName: 'monitoring',
  errors: { invalid: 'InvalidParameterValueException', missing: 'MissingRequiredParameterException' },
};

/** CloudWatch's answer to a NextToken it did not issue: its invalid-parameter error. */
export const CLOUDWATCH_INVALID_TOKEN = invalidNextToken(CLOUDWATCH_WIRE);
