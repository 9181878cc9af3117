import type { AwsLocation } from '../aws/location.ts';
import { type OperationTable, TableEmulator } from '../aws/operation-table.ts';
import { batchGetImage, describeImages, listImages, putImage } from './image-operations.ts';
import { DOCKER_MANIFEST_V2, inventManifest } from './manifest.ts';
import type { EcrModel } from './model.ts';
import { type EcrImageActionEvent, imagePushEvent } from './push-event.ts';
import type { EcrRegistry } from './registry.ts';
import { createRepository, describeRepositories } from './repository-operations.ts';
import { severityCounts } from './scan.ts';
import { type EcrImageScanEvent, imageScanEvent } from './scan-event.ts';
import { describeImageScanFindings } from './scan-operations.ts';
import { ECR_WIRE } from './wire.ts';

// The ECR API over the registry (JSON 1.1, X-Amz-Target
// AmazonEC2ContainerRegistry_V20150921.<Operation>). A successful PutImage, or
// the programmatic push() the CLI uses, is a "push": it stores the image,
// moves the tag and hands onPush the EventBridge event ECR would send; in a
// repository that scans on push, onScan then gets the scan's event.

/** The ECR operations the sandbox implements (sandbox/ecr/README.md lists them). */
export const ECR_OPERATIONS: OperationTable<EcrModel> = {
  CreateRepository: createRepository,
  DescribeRepositories: describeRepositories,
  DescribeImages: describeImages,
  ListImages: listImages,
  BatchGetImage: batchGetImage,
  PutImage: putImage,
  DescribeImageScanFindings: describeImageScanFindings,
};

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
  readonly registry: EcrRegistry;
  readonly #model: EcrModel;

  constructor(options: EcrEmulatorOptions) {
    const { location, registry, onPush, onScan } = options;
    const onError = options.onError ?? ((error: unknown) => console.error('ecr: onPush failed:', error));
    const model: EcrModel = {
      registry,
      emit(repositoryName, digest, tag) {
        const event = imagePushEvent(location, { repositoryName, digest, ...(tag === undefined ? {} : { tag }) });
        const scanned = scanEventFor(location, registry, repositoryName, digest);
        Promise.resolve()
          .then(() => onPush?.(event))
          .catch(onError)
          .then(() => (scanned === undefined ? undefined : onScan?.(scanned)))
          .catch(onError);
        return event;
      },
    };
    super(ECR_WIRE, ECR_OPERATIONS, model);
    this.registry = registry;
    this.#model = model;
  }

  /**
   * Pushes `repository:tag` as `docker push` would: an invented manifest (the
   * same `content` gives the same digest; default: one build per tag), the tag
   * moved to it, and the push event. Pushing what the tag already names changes
   * nothing and sends no event.
   */
  async push(repository: string, tag: string, options: { content?: string } = {}): Promise<PushResult> {
    const manifest = inventManifest(repository, tag, options.content);
    const { image, changed } = this.registry.putImage(repository, { manifest, mediaType: DOCKER_MANIFEST_V2, tag });
    const uri = `${this.registry.repository(repository).uri}@${image.digest}`;
    const result: PushResult = { repositoryName: repository, imageTag: tag, imageDigest: image.digest, imageUri: uri };
    if (changed) result.event = this.#model.emit(repository, image.digest, tag);
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
