import * as z from 'zod';
import { InvalidInputError } from '../domain/errors.ts';
import type { ImagePush } from '../domain/plan.ts';
import { parseEvent } from '../runtime/parse-event.ts';

// OCI grammar: digest `algorithm:encoded`, tag up to 128 characters.
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

/** The EventBridge `ECR Image Action` event, as the Amazon ECR User Guide documents it; other fields are ignored. */
export const ecrImageActionSchema = z.object({
  id: z.string().min(1),
  source: z.literal('aws.ecr'),
  'detail-type': z.literal('ECR Image Action'),
  time: z.iso.datetime({ offset: true }),
  detail: z.object({
    'action-type': z.string().min(1),
    result: z.string().min(1),
    'repository-name': z.string().min(1),
    'image-digest': z.string().regex(DIGEST, 'is not an image digest').optional(),
    'image-tag': z.string().regex(TAG, 'is not an image tag').optional(),
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
    repository: detail['repository-name'],
    ...(detail['image-tag'] !== undefined ? { tag: detail['image-tag'] } : {}),
    ...(detail['image-digest'] !== undefined ? { digest: detail['image-digest'] } : {}),
  };
}
