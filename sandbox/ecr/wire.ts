import type { ServiceWire } from '../aws/operation-table.ts';
import { invalidNextToken } from '../aws/paging.ts';

/** How ECR is reached (JSON 1.1, X-Amz-Target AmazonEC2ContainerRegistry_V20150921.<Operation>) and its input errors. */
export const ECR_WIRE: ServiceWire = {
  name: 'ECR',
  targetPrefix: 'AmazonEC2ContainerRegistry_V20150921',
  signingName: 'ecr',
  errors: { invalid: 'InvalidParameterException', missing: 'InvalidParameterException' },
};

/** ECR's answer to a nextToken it did not issue: its invalid-parameter error. */
export const ECR_INVALID_TOKEN = invalidNextToken(ECR_WIRE);
