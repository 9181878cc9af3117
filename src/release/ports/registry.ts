/** An image the registry holds. */
export interface RegistryImage {
  digest: string;
  /** When the registry stored it (ISO 8601, to the millisecond: finer than the push event's whole seconds). */
  pushedAt: string;
}

import type { SessionName, TargetAccess } from '../../platform/target-access.ts';

/**
 * The container registry (ECR) as planning uses it: the automation's own registry, or the one `at`
 * gives. Throttling and 5xx failures reject with TransientError.
 */
export interface RegistryPort {
  /** The same port over the registry of `registry` (its account, region and role), the role's session named for `who`. */
  at(registry: TargetAccess, who: SessionName): RegistryPort;
  /** The repository's URI, `<registry host>/<repository>`; rejects with ImageNotFoundError when it does not exist. */
  repositoryUri(repository: string): Promise<string>;
  /** The image of that digest, or undefined when the repository does not hold it. */
  findImage(repository: string, digest: string): Promise<RegistryImage | undefined>;
  /** The image that `tag` names now, or undefined when no image has that tag. */
  findTaggedImage(repository: string, tag: string): Promise<RegistryImage | undefined>;
}

/** Finding an image by tag: what `/release deploy <service> <tag>` names. */
export type TaggedImageLookup = Pick<RegistryPort, 'findTaggedImage'>;
