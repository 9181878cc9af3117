import { constraintWording } from '../aws/input-wording.ts';
import type { ServiceWire } from '../aws/operation-table.ts';
import type { InvalidTokenError } from '../aws/paging.ts';

/** How SSM is reached (JSON 1.1, X-Amz-Target AmazonSSM.<Operation>) and its input errors. */
export const SSM_WIRE: ServiceWire = {
  name: 'SSM',
  targetPrefix: 'AmazonSSM',
  signingName: 'ssm',
  errors: { invalid: 'ValidationException', missing: 'ValidationException', wording: constraintWording },
};

/** SSM's answer to a NextToken it did not issue. */
export const SSM_INVALID_TOKEN: InvalidTokenError = {
  code: 'InvalidNextToken',
  message: 'The nextToken is not one this service issued',
};
