import * as z from 'zod';
import { ACCOUNT_ID, ECR_REPOSITORY, REGION } from '../../catalog/index.ts';
import { InvalidInputError } from '../../platform/errors.ts';
import { parseEvent } from '../../platform/parse-event.ts';
import { IMAGE_TAG } from '../image-tag.ts';
import type { ImagePush } from '../plan.ts';

// Every field checked here becomes part of a key (release ids, lock items) or
// of an AWS request, so each is held to what AWS itself accepts: a value AWS
// would refuse further on must be refused here, before anything is written.

// EventBridge event ids are UUIDs; 128 characters leave room for other id
// schemes while keeping `service-environment-eventId` far below DynamoDB's
// 2048-byte partition key.
export const EVENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const NOT_A_REPOSITORY = 'is not an ECR repository name (2 to 256 characters: [a-z0-9] parts joined by . _ - /)';
// ECR image manifest digests are SHA-256, written in lower case hex.
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** The EventBridge `ECR Image Action` event, as the Amazon ECR User Guide documents it; other fields are ignored. */
export const ecrImageActionSchema = z.object({
  id: z.string().regex(EVENT_ID, 'is not an event id (1 to 128 letters, digits, ".", "_", ":" or "-")'),
  source: z.literal('aws.ecr'),
  'detail-type': z.literal('ECR Image Action'),
  time: z.iso.datetime({ offset: true }),
  // The registry's: a push in another account reaches the automation's bus through that account's forwarding rule.
  account: z.string().regex(ACCOUNT_ID, 'is not an AWS account id (twelve digits)').optional(),
  region: z.string().regex(REGION, 'is not an AWS region (e.g. us-west-2)').optional(),
  // Not ECR's: set by the push reconciler on the event it makes up for a lost one.
  'release-automation': z.object({ startedBy: z.literal('reconciler') }).optional(),
  detail: z.object({
    'action-type': z.string().min(1),
    result: z.string().min(1),
    'repository-name': z
      .string()
      .min(2, NOT_A_REPOSITORY)
      .max(256, NOT_A_REPOSITORY)
      .regex(ECR_REPOSITORY, NOT_A_REPOSITORY),
    'image-digest': z
      .string()
      .regex(DIGEST, 'is not an image digest (sha256: and 64 lower case hex digits)')
      .optional(),
    'image-tag': z
      .string()
      .regex(IMAGE_TAG, 'is not an image tag (1 to 128 characters: [A-Za-z0-9_] then . _ -)')
      .optional(),
  }),
});

/** The push an ECR event reports; anything but a successful PUSH is an InvalidInputError. */
export function parseEcrPush(input: unknown): ImagePush {
  const event = parseEvent(ecrImageActionSchema, input);
  const { detail } = event;
  if (detail['action-type'] !== 'PUSH' || detail.result !== 'SUCCESS') {
    throw new InvalidInputError(
      `ECR event ${event.id} is not a successful push of ${detail['repository-name']}: action-type ${detail['action-type']}, result ${detail.result}`,
    );
  }
  return {
    eventId: event.id,
    at: event.time,
    ...(event['release-automation'] === undefined ? {} : { reconciled: true as const }),
    ...(event.account === undefined ? {} : { account: event.account }),
    ...(event.region === undefined ? {} : { region: event.region }),
    repository: detail['repository-name'],
    ...(detail['image-tag'] !== undefined ? { tag: detail['image-tag'] } : {}),
    ...(detail['image-digest'] !== undefined ? { digest: detail['image-digest'] } : {}),
  };
}
