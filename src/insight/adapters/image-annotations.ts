import { BatchGetImageCommand, type ECRClient } from '@aws-sdk/client-ecr';
import type { ImageAnnotations } from '../ports/image-annotations.ts';

const MEDIA_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

/** The annotations of an image's manifest, read with BatchGetImage (a Docker v2 manifest has none). */
export function ecrImageAnnotations(ecr: ECRClient): ImageAnnotations {
  return {
    async read({ repository, digest }) {
      const found = await ecr.send(
        new BatchGetImageCommand({
          repositoryName: repository,
          imageIds: [{ imageDigest: digest }],
          acceptedMediaTypes: MEDIA_TYPES,
        }),
      );
      const manifest = found.images?.[0]?.imageManifest;
      if (!manifest) return {};
      const annotations = (JSON.parse(manifest) as { annotations?: unknown }).annotations;
      if (typeof annotations !== 'object' || annotations === null) return {};
      return Object.fromEntries(
        Object.entries(annotations).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      );
    },
  };
}
