import type { ReleaseRequest } from './release.ts';

// Which of two pushes to one target is the newer decides what ends up live, so
// the order must come from the pushes alone, never from when or how often
// their events arrived. The event's `time` has whole seconds; ECR's
// imagePushedAt has milliseconds but stays that of the image's first push when
// the same image is pushed again under another tag.

/**
 * How far ahead of the clock a push may be dated. AWS's and Lambda's clocks
 * agree to well under a second; five minutes is the skew AWS itself tolerates
 * in signed requests. A later date cannot be true, and as the newest push it
 * would supersede every real one after it.
 */
export const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/** Whether `at` (ISO 8601) lies further ahead of `now` than the tolerance. */
export function isAheadOfClock(at: string, now: Date): boolean {
  return Date.parse(at) > now.getTime() + FUTURE_TOLERANCE_MS;
}

/**
 * Within this of the event's time, imagePushedAt is the same push, to the
 * millisecond. Further away it is another: the image's first push when this
 * event put a new tag on it, or a later push of the same image when this event
 * was delivered late.
 */
const SAME_PUSH_MS = 2000;

/** Whether an event dated `at` reports the image's first push (the one the registry's `pushedAt` records). */
export function isFirstPush(at: string, pushedAt: string): boolean {
  return Math.abs(Date.parse(at) - Date.parse(pushedAt)) <= SAME_PUSH_MS;
}

/** When a push happened, to the millisecond: the registry's time when it is this push's, else the event's. */
export function pushInstant(request: Pick<ReleaseRequest, 'trigger' | 'image'>): string {
  const { at } = request.trigger;
  return new Date(Date.parse(isFirstPush(at, request.image.pushedAt) ? request.image.pushedAt : at)).toISOString();
}

/**
 * The sort key of a push among those to its target: its instant, then the
 * digest and the release id so that pushes of the same millisecond still have
 * one winner. Instants are normalised, so string order is time order.
 */
export function pushOrder(request: Pick<ReleaseRequest, 'trigger' | 'image' | 'releaseId'>): string {
  return `${pushInstant(request)}#${request.image.digest}#${request.releaseId}`;
}
