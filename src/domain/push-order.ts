import type { ReleaseRequest } from './release.ts';

// Which of two pushes to one target is the newer decides what ends up live, so
// the order must come from the pushes alone, never from when or how often
// their events arrived. The event's `time` has whole seconds; ECR's
// imagePushedAt has milliseconds but stays that of the image's first push when
// the same image is pushed again under another tag.

/** An event this much later than imagePushedAt reports an older image under a new tag, not a new image. */
const RETAG_GAP_MS = 2000;

/** When a push happened, to the millisecond: the registry's time for a new image, the event's for a new tag on an older one. */
export function pushInstant(request: Pick<ReleaseRequest, 'trigger' | 'image'>): string {
  const event = Date.parse(request.trigger.at);
  const stored = Date.parse(request.image.pushedAt);
  return new Date(event - stored > RETAG_GAP_MS ? event : stored).toISOString();
}

/**
 * The sort key of a push among those to its target: its instant, then the
 * digest and the release id so that pushes of the same millisecond still have
 * one winner. Instants are normalised, so string order is time order.
 */
export function pushOrder(request: Pick<ReleaseRequest, 'trigger' | 'image' | 'releaseId'>): string {
  return `${pushInstant(request)}#${request.image.digest}#${request.releaseId}`;
}
