import { randomUUID } from 'node:crypto';
import type { AwsLocation } from '../aws/location.ts';

// The EventBridge event ECR sends after a successful push, field for field as
// in AWS (see events/aws.ecr/push.json): the sandbox's event bus matches the
// release rule's pattern against exactly this.

/** An `ECR Image Action` event for a PUSH. */
export interface EcrImageActionEvent {
  version: '0';
  id: string;
  'detail-type': 'ECR Image Action';
  source: 'aws.ecr';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    result: 'SUCCESS';
    'repository-name': string;
    'image-digest': string;
    'action-type': 'PUSH';
    'image-tag'?: string;
  };
}

/** The push event for one image; `time` is ISO 8601 without milliseconds, as EventBridge writes it. */
export function imagePushEvent(
  location: AwsLocation,
  image: { repositoryName: string; digest: string; tag?: string },
  at = new Date(),
): EcrImageActionEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'ECR Image Action',
    source: 'aws.ecr',
    account: location.accountId,
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: location.region,
    resources: [],
    detail: {
      result: 'SUCCESS',
      'repository-name': image.repositoryName,
      'image-digest': image.digest,
      'action-type': 'PUSH',
      ...(image.tag === undefined ? {} : { 'image-tag': image.tag }),
    },
  };
}
