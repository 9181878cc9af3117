import { createHash } from 'node:crypto';
import { BatchGetImageCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { ECR_REPOSITORY, loadCatalogFile } from '../catalog/index.ts';
import { pollUntil } from '../platform/index.ts';
import { isImageTag } from '../release/index.ts';
import { executionSearch } from './executions.ts';
import type { Target } from './target.ts';
import { UsageError } from './usage.ts';

export const pushUsage = `Usage: release push <repository>:<tag> [--from <tag>] [--created <ISO time>] [--revision <sha>] [--watch]

Pushes an image tag to ECR; the push event starts a release of every catalog
target fed by the repository.
  --from <tag>   retag the image that <tag> names (what works against real ECR without docker)
  --watch        follow the release it starts (same as "release watch")
  --created <ISO time>, --revision <sha>
                 the image's org.opencontainers.image.created and .revision annotations
                 (what docker buildx build --annotation writes): lead time runs from created

Without --from, a small synthetic image is pushed whose digest depends on the
repository and tag: the sandbox's demo app behaves by its tag (v2, v3-bad,
v4-crash, v5-slow: see sandbox/demo-app/README.md).`;

/** The OCI annotations `--created` and `--revision` ask for. */
export function pushAnnotations(created: string | undefined, revision: string | undefined): Record<string, string> {
  if (created !== undefined && (!/^\d{4}-\d{2}-\d{2}T/.test(created) || Number.isNaN(Date.parse(created))))
    throw new UsageError(`--created takes an ISO 8601 time, e.g. 2026-11-21T10:15:30Z, got "${created}"`);
  if (revision !== undefined && !/^[0-9a-f]{7,64}$/i.test(revision))
    throw new UsageError(`--revision takes a commit sha, got "${revision}"`);
  return {
    ...(created === undefined ? {} : { 'org.opencontainers.image.created': new Date(created).toISOString() }),
    ...(revision === undefined ? {} : { 'org.opencontainers.image.revision': revision }),
  };
}

/** Splits `repository:tag`, refusing anything ECR would refuse. */
export function parseImageArgument(argument: string | undefined): { repository: string; tag: string } {
  if (!argument) throw new UsageError('push needs <repository>:<tag>, e.g. demo/web:v2');
  const colon = argument.lastIndexOf(':');
  if (colon <= 0) throw new UsageError(`"${argument}": give the tag too, as <repository>:<tag> (e.g. demo/web:v2)`);
  const repository = argument.slice(0, colon);
  const tag = argument.slice(colon + 1);
  if (!ECR_REPOSITORY.test(repository))
    throw new UsageError(`"${argument}": "${repository}" is not an ECR repository name`);
  if (!isImageTag(tag)) throw new UsageError(`"${argument}": needs a tag after the colon (letters, digits, _ . -)`);
  return { repository, tag };
}

const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/**
 * An OCI image manifest standing for `repository:tag`: same tag (and annotations), same digest.
 * `annotations` (e.g. org.opencontainers.image.created and .revision, as `docker buildx build
 * --annotation` writes them) go on the manifest and, as labels, into its config.
 */
export function syntheticManifest(repository: string, tag: string, annotations: Record<string, string> = {}): string {
  const labels = { 'org.opencontainers.image.ref.name': tag, ...annotations };
  const config = JSON.stringify({ architecture: 'arm64', os: 'linux', config: { Labels: labels } });
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', size: config.length, digest: sha256(config) },
    layers: [
      {
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        size: 1024,
        digest: sha256(`layer ${repository}:${tag}`),
      },
    ],
    annotations: { 'org.opencontainers.image.ref.name': tag, ...annotations },
  });
}

/** The registry (account and region) the catalog's environments name for `repository`, when they name one and agree. */
function catalogRegistry(target: Target, repository: string): { account: string; region: string } | undefined {
  let catalog: ReturnType<typeof loadCatalogFile>;
  try {
    catalog = loadCatalogFile(target.catalogFile, target.env);
  } catch {
    return undefined; // No catalog to read here: the push goes to the CLI's own registry.
  }
  const registries = new Map<string, { account: string; region: string }>();
  for (const service of Object.values(catalog.services)) {
    for (const { repository: named, registry } of Object.values(service.environments)) {
      if (named !== repository || registry === undefined) continue;
      const where = { account: registry.account, region: registry.region ?? target.region };
      registries.set(`${where.account}/${where.region}`, where);
    }
  }
  return registries.size === 1 ? [...registries.values()][0] : undefined;
}

/**
 * The ECR a push of `repository` goes to: the registry the catalog names for it (a shared tools
 * account's), else the CLI's own. The sandbox is pushed to as that account, as its CI would push
 * (an access key id of twelve digits acts as that account); AWS with the caller's own credentials,
 * which must be allowed to push there, and the registry's id. `own` says whether the caller made the
 * client (and destroys it) or it is the target's.
 */
function registryOf(target: Target, repository: string): { ecr: ECRClient; registryId?: string; own: boolean } {
  const registry = catalogRegistry(target, repository);
  if (registry === undefined) return { ecr: target.ecr, own: false };
  const base = { region: registry.region, maxAttempts: 3 };
  const ecr =
    target.endpoint === undefined
      ? new ECRClient(base)
      : new ECRClient({
          ...base,
          endpoint: target.endpoint,
          credentials: { accessKeyId: registry.account, secretAccessKey: 'sandbox' },
        });
  return { ecr, registryId: registry.account, own: true };
}

/** Puts the image (in the registry the catalog names for the repository); returns its digest. */
export async function pushImage(
  target: Target,
  repository: string,
  tag: string,
  from?: string,
  annotations: Record<string, string> = {},
): Promise<string> {
  const { ecr, registryId, own } = registryOf(target, repository);
  try {
    return await putImage(ecr, registryId === undefined ? {} : { registryId }, repository, tag, from, annotations);
  } finally {
    if (own) ecr.destroy();
  }
}

async function putImage(
  ecr: ECRClient,
  where: { registryId?: string },
  repository: string,
  tag: string,
  from: string | undefined,
  annotations: Record<string, string>,
): Promise<string> {
  let imageManifest = syntheticManifest(repository, tag, annotations);
  let imageManifestMediaType = 'application/vnd.oci.image.manifest.v1+json';
  if (from) {
    const found = await ecr.send(
      new BatchGetImageCommand({ ...where, repositoryName: repository, imageIds: [{ imageTag: from }] }),
    );
    const image = found.images?.[0];
    if (!image?.imageManifest) throw new Error(`${repository}:${from} not found`);
    imageManifest = image.imageManifest;
    imageManifestMediaType = image.imageManifestMediaType ?? imageManifestMediaType;
  }
  const pushed = await ecr.send(
    new PutImageCommand({ ...where, repositoryName: repository, imageTag: tag, imageManifest, imageManifestMediaType }),
  );
  const digest = pushed.image?.imageId?.imageDigest;
  if (!digest) throw new Error('ECR did not return the image digest');
  return digest;
}

// Executions started this long before the push still count: the caller's and
// AWS's clocks may disagree a little.
const CLOCK_SKEW_MS = 5000;

/** Whether an execution's input is the ECR push of this tag and digest. */
function isPushOf(input: string | undefined, tag: string, digest: string): boolean {
  try {
    const detail = (JSON.parse(input ?? '') as { detail?: Record<string, unknown> }).detail;
    return detail?.['image-digest'] === digest && detail?.['image-tag'] === tag;
  } catch {
    return false;
  }
}

/**
 * Waits for the release execution that the push of `tag` at `digest` started
 * (one started after `pushedAt`, so an earlier push of the same digest is not
 * mistaken for it); undefined if none starts in time.
 */
export async function findReleaseExecution(
  target: Target,
  push: { tag: string; digest: string; pushedAt: Date },
  timeoutMs = 15_000,
): Promise<string | undefined> {
  const { tag, digest } = push;
  const search = executionSearch(target, {
    since: push.pushedAt.getTime() - CLOCK_SKEW_MS,
    matches: (input) => isPushOf(input, tag, digest),
  });
  return pollUntil(async () => (await search())[0]?.executionArn, { timeoutMs, intervalMs: 250 });
}
