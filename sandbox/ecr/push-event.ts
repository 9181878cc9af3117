import type { AwsLocation } from '../aws/location.ts';
import { type EcrEvent, ecrEvent } from './ecr-event.ts';

// The EventBridge event ECR sends after a successful push, field for field as
// in AWS (see events/aws.ecr/push.json): the sandbox's event bus matches the
// release rule's pattern against exactly this.

/** An `ECR Image Action` event for a PUSH. */
export type EcrImageActionEvent = EcrEvent<
  'ECR Image Action',
  {
    result: 'SUCCESS';
    'repository-name': string;
    'image-digest': string;
    'action-type': 'PUSH';
    'image-tag'?: string;
  }
>;

/** The push event for one image. */
export function imagePushEvent(
  location: AwsLocation,
  image: { repositoryName: string; digest: string; tag?: string },
  at = new Date(),
): EcrImageActionEvent {
  const detail: EcrImageActionEvent['detail'] = {
    result: 'SUCCESS',
    'repository-name': image.repositoryName,
    'image-digest': image.digest,
    'action-type': 'PUSH',
    ...(image.tag === undefined ? {} : { 'image-tag': image.tag }),
  };
  return ecrEvent(location, { type: 'ECR Image Action', resources: [], detail }, at);
}
