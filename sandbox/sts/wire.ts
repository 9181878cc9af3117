import { constraintWording } from '../aws/input-wording.ts';
import type { ServiceWire } from '../aws/operation-table.ts';

/** How STS is reached: the Query protocol only (signing name `sts`), Smithy's validation wording. */
export const STS_WIRE: ServiceWire = {
  name: 'STS',
  targetPrefix: 'AWSSecurityTokenServiceV20110615',
  signingName: 'sts',
  errors: { invalid: 'ValidationError', missing: 'ValidationError', wording: constraintWording },
};
