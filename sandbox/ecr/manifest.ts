import { createHash } from 'node:crypto';

// The sandbox has no image layers to store, so a push invents a Docker image
// manifest: real-shaped JSON whose config and layer digests derive from the
// repository, the tag and an optional build content. Its sha256 is the image
// digest, as in ECR, so the same build pushed again has the same digest.

export const DOCKER_MANIFEST_V2 = 'application/vnd.docker.distribution.manifest.v2+json';
const CONFIG_MEDIA_TYPE = 'application/vnd.docker.container.image.v1+json';
const LAYER_MEDIA_TYPE = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

const sha256 = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/** The digest ECR gives a manifest: the sha256 of its exact bytes. */
export const digestOf = (manifest: string): string => sha256(manifest);

/** An invented manifest for `repository:tag` built from `content` (default: the tag itself). */
export function inventManifest(repository: string, tag: string, content = `${repository}:${tag}`): string {
  const layer = (name: string, size: number) => ({
    mediaType: LAYER_MEDIA_TYPE,
    size,
    digest: sha256(`${content}/${name}`),
  });
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: DOCKER_MANIFEST_V2,
    config: { mediaType: CONFIG_MEDIA_TYPE, size: 1469, digest: sha256(`${content}/config`) },
    layers: [layer('base', 3_623_807), layer('runtime', 41_238_576), layer('app', 18_432)],
  });
}

/** The size ECR reports: the sum of the manifest's layer sizes (0 when it names none). */
export function imageSizeOf(manifest: string): number {
  try {
    const parsed: unknown = JSON.parse(manifest);
    const layers = typeof parsed === 'object' && parsed !== null && 'layers' in parsed ? parsed.layers : undefined;
    if (!Array.isArray(layers)) return 0;
    return layers.reduce<number>((sum, layer: unknown) => {
      const size = typeof layer === 'object' && layer !== null && 'size' in layer ? layer.size : 0;
      return sum + (typeof size === 'number' ? size : 0);
    }, 0);
  } catch {
    return 0;
  }
}
