import type { TargetAccess } from '../../platform/target-access.ts';

/** An image the registry stores, as the push reconciler reads it. */
export interface PushedImage {
  repository: string;
  digest: string;
  /** Its tags now (a tag moved to a newer image is no longer here). */
  tags: string[];
  /** When the registry stored it (ISO 8601, to the millisecond): its first push. */
  pushedAt: string;
}

/** Each registry's images by push time. Throttling and 5xx failures reject with TransientError. */
export interface PushedImages {
  /** Every tagged image of `repository` in `registry` (its account, region and role) stored at or after `since`, whatever the number of pages. */
  pushedSince(registry: TargetAccess, repository: string, since: Date): Promise<PushedImage[]>;
}
