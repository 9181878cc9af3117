import type { ServiceWire } from '../aws/operation-table.ts';
import { invalidNextToken } from '../aws/paging.ts';

/** How ECS is reached (JSON 1.1, X-Amz-Target AmazonEC2ContainerServiceV20141113.<Operation>) and its input errors. */
export const ECS_WIRE: ServiceWire = {
  name: 'ECS',
  targetPrefix: 'AmazonEC2ContainerServiceV20141113',
  signingName: 'ecs',
  errors: { invalid: 'InvalidParameterException', missing: 'InvalidParameterException' },
};

/** ECS's answer to a nextToken it did not issue: its invalid-parameter error. */
export const ECS_INVALID_TOKEN = invalidNextToken(ECS_WIRE);
