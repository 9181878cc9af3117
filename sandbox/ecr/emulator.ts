import { Arns } from '../aws/arns.ts';
import type { AwsLocation } from '../aws/location.ts';
import { type OperationTable, TableEmulator } from '../aws/operation-table.ts';
import { Partitions } from '../aws/partitions.ts';
import { batchGetImage, describeImages, listImages, putImage } from './image-operations.ts';
import { DOCKER_MANIFEST_V2, inventManifest } from './manifest.ts';
import { type EcrModel, ownRegistryOnly } from './model.ts';
import { type EcrImageActionEvent, imagePushEvent } from './push-event.ts';
import { EcrRegistry, type ResolvedImage } from './registry.ts';
import { createRepository, describeRepositories } from './repository-operations.ts';
import { severityCounts } from './scan.ts';
import { type EcrImageScanEvent, imageScanEvent } from './scan-event.ts';
import { describeImageScanFindings } from './scan-operations.ts';
import { ECR_WIRE } from './wire.ts';

// The ECR API over the registry (JSON 1.1, X-Amz-Target
// AmazonEC2ContainerRegistry_V20150921.<Operation>). A successful PutImage, or
// the programmatic push() the CLI uses, is a "push": it stores the image,
// moves the tag and hands onPush the EventBridge event ECR would send; in a
// repository that scans on push, onScan then gets the scan's event. Each
// account and region has its own registry (`<account>.dkr.ecr.<region>.localhost`):
// the home one is `registry`, another's is made when first named.

/** The ECR operations the sandbox implements (sandbox/ecr/README.md lists them). */
export const ECR_OPERATIONS: OperationTable<EcrModel> = ownRegistryOnly({
  CreateRepository: createRepository,
  DescribeRepositories: describeRepositories,
  DescribeImages: describeImages,
  ListImages: listImages,
  BatchGetImage: batchGetImage,
  PutImage: putImage,
  DescribeImageScanFindings: describeImageScanFindings,
});

/** What push() did. */
export interface PushResult {
  repositoryName: string;
  imageTag: string;
  imageDigest: string;
  /** `registryHost/repository@digest`: what a task definition pins. */
  imageUri: string;
  /** The event sent to onPush; absent when the tag already named this image (nothing was pushed). */
  event?: EcrImageActionEvent;
}

export interface EcrEmulatorOptions {
  /** The home account and region, whose registry is `registry`. */
  location: AwsLocation;
  registry: EcrRegistry;
  /** Called once per push that changed the registry; not awaited (EventBridge delivers asynchronously). */
  onPush?: (event: EcrImageActionEvent) => void | Promise<void>;
  /** Called once per scan on push, after its push's onPush; not awaited. */
  onScan?: (event: EcrImageScanEvent) => void | Promise<void>;
  /** Where a failing onPush is reported. */
  onError?: (error: unknown) => void;
}

/** The ECR API, and the push the CLI and the tests make without a Docker client. */
export class EcrEmulator extends TableEmulator<EcrModel> {
  /** The home account and region's registry. */
  readonly registry: EcrRegistry;
  readonly #model: EcrModel;
  readonly #partitions: Partitions<EcrModel>;

  constructor(options: EcrEmulatorOptions) {
    const { location, registry, onPush, onScan } = options;
    const onError = options.onError ?? ((error: unknown) => console.error('ecr: onPush failed:', error));
    const modelOf = (where: AwsLocation, registry: EcrRegistry): EcrModel => ({
      registry,
      emit(repositoryName, digest, tag) {
        const event = imagePushEvent(where, { repositoryName, digest, ...(tag === undefined ? {} : { tag }) });
        const scanned = scanEventFor(where, registry, repositoryName, digest);
        Promise.resolve()
          .then(() => onPush?.(event))
          .catch(onError)
          .then(() => (scanned === undefined ? undefined : onScan?.(scanned)))
          .catch(onError);
        return event;
      },
    });
    const model = modelOf(location, registry);
    const partitions = new Partitions(location, (where) => modelOf(where, new EcrRegistry(new Arns(where))), model);
    super(ECR_WIRE, ECR_OPERATIONS, partitions);
    this.registry = registry;
    this.#model = model;
    this.#partitions = partitions;
  }

  /** The registry of an account and region (made on first use). */
  registryAt(location: AwsLocation): EcrRegistry {
    return this.#partitions.at(location).registry;
  }

  /**
   * Resolves an image as ECS pulls it: from the registry its host names
   * (`<account>.dkr.ecr.<region>.localhost`, e.g. a tools account's), else
   * from the home registry (EcrRegistry.resolve). Any account may pull: the
   * sandbox has no repository policies.
   */
  resolve(reference: string): ResolvedImage | undefined {
    const host = reference.slice(0, Math.max(0, reference.indexOf('/')));
    const named = this.#partitions.entries().find(({ model }) => model.registry.registryHost === host);
    return (named?.model.registry ?? this.registry).resolve(reference);
  }

  /**
   * Pushes `repository:tag` as `docker push` would: an invented manifest (the
   * same `content` gives the same digest; default: one build per tag), the tag
   * moved to it, and the push event. Pushing what the tag already names changes
   * nothing and sends no event. `location` pushes to another account and region's registry (default: home).
   */
  async push(
    repository: string,
    tag: string,
    options: { content?: string; location?: AwsLocation } = {},
  ): Promise<PushResult> {
    const model = options.location ? this.#partitions.at(options.location) : this.#model;
    const manifest = inventManifest(repository, tag, options.content);
    const { image, changed } = model.registry.putImage(repository, { manifest, mediaType: DOCKER_MANIFEST_V2, tag });
    const uri = `${model.registry.repository(repository).uri}@${image.digest}`;
    const result: PushResult = { repositoryName: repository, imageTag: tag, imageDigest: image.digest, imageUri: uri };
    if (changed) result.event = model.emit(repository, image.digest, tag);
    return result;
  }
}

/** The scan event of an image just pushed, once per scan; undefined when it was not scanned or was announced. */
function scanEventFor(
  location: AwsLocation,
  registry: EcrRegistry,
  repositoryName: string,
  digest: string,
): EcrImageScanEvent | undefined {
  const repository = registry.repository(repositoryName);
  const scan = repository.images.get(digest)?.scan;
  if (scan === undefined || scan.announced) return undefined;
  scan.announced = true;
  const tags = repository.images.get(digest)?.tags ?? [];
  return imageScanEvent(location, {
    repositoryArn: repository.arn,
    repositoryName,
    digest,
    tags: [...tags],
    counts: severityCounts(scan),
  });
}
