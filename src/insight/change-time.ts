import type { ImageAnnotations } from './ports/image-annotations.ts';

// Lead time runs from the change. A push says when the image was built from it
// in its OCI annotations (`docker buildx build --annotation
// org.opencontainers.image.created=… --annotation org.opencontainers.image.revision=…`,
// or `release push --created/--revision` in the sandbox); finish reads them once
// the release ends and keeps them on its record.

export const CREATED = 'org.opencontainers.image.created';
export const REVISION = 'org.opencontainers.image.revision';

/** When the change was made and what says so: undefined without a valid `created` annotation. */
export interface ChangeTime {
  at: string;
  from: string;
}

/** The change time the annotations give, e.g. `{ at, from: 'oci-annotation:org.opencontainers.image.created@1a2b3c4' }`. */
export function changeTimeOf(annotations: Record<string, string>): ChangeTime | undefined {
  const created = annotations[CREATED];
  if (created === undefined || Number.isNaN(Date.parse(created))) return undefined;
  const revision = annotations[REVISION];
  return {
    at: new Date(created).toISOString(),
    from: `oci-annotation:${CREATED}${revision ? `@${revision.slice(0, 12)}` : ''}`,
  };
}

/** The image's change time, or undefined when it says none or cannot be read (a release never fails on it). */
export async function readChangeTime(
  annotations: ImageAnnotations,
  image: { repository: string; digest: string },
): Promise<ChangeTime | undefined> {
  try {
    return changeTimeOf(await annotations.read(image));
  } catch {
    return undefined;
  }
}
