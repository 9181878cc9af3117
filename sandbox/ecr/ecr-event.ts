import { randomUUID } from 'node:crypto';
import type { AwsLocation } from '../aws/location.ts';

// The envelope every EventBridge event from ECR shares (events/aws.ecr/*.json):
// the push and scan events differ only in their detail-type, resources and detail.

/** An event from `aws.ecr` of one detail-type. */
export interface EcrEvent<Type extends string, Detail> {
  version: '0';
  id: string;
  'detail-type': Type;
  source: 'aws.ecr';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Detail;
}

/** An ECR event sent now (or `at`): `time` is ISO 8601 without milliseconds, as EventBridge writes it. */
export function ecrEvent<Type extends string, Detail>(
  location: AwsLocation,
  event: { type: Type; resources: string[]; detail: Detail },
  at: Date,
): EcrEvent<Type, Detail> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': event.type,
    source: 'aws.ecr',
    account: location.accountId,
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: location.region,
    resources: event.resources,
    detail: event.detail,
  };
}
