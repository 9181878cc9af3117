import type { Arns } from '../aws/arns.ts';
import { AwsApiError } from '../aws/service.ts';
import { digestOf, imageSizeOf } from './manifest.ts';
import { type StoredScan, scanImage } from './scan.ts';

// The state of the emulated ECR registry: repositories, images by digest and
// tags pointing at images. A tag moves to the newest image pushed with it,
// leaving the previous image untagged, as in a MUTABLE repository.

export interface StoredImage {
  digest: string;
  manifest: string;
  mediaType: string;
  /** Current tags, in the order they were put on this image. */
  tags: string[];
  /** The tag the image was first pushed with; it keeps naming the build after its tags move away. */
  pushedAs?: string;
  pushedAt: Date;
  sizeInBytes: number;
  /** The scan on push, when the repository scans on push (sandbox/ecr/scan.ts); undefined: never scanned. */
  scan?: StoredScan;
}

export interface StoredRepository {
  name: string;
  arn: string;
  uri: string;
  createdAt: Date;
  imageTagMutability: 'MUTABLE' | 'IMMUTABLE';
  scanOnPush: boolean;
  tags: { key: string; value: string }[];
  images: Map<string, StoredImage>;
  tagIndex: Map<string, string>;
}

/** An image reference a task can run, resolved against the registry. */
export interface ResolvedImage {
  repositoryName: string;
  digest: string;
  /** The tag that chooses the demo app's behaviour: the one referenced, else the one it was pushed with. */
  tag: string | undefined;
  /** `registryHost/repository@digest`. */
  uri: string;
}

const REPOSITORY_NAME = /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const IMAGE_TAG = /^[\w][\w.-]{0,299}$/;
const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;

export class EcrRegistry {
  readonly registryId: string;
  /** `<account>.dkr.ecr.<region>.localhost`: ECR's host shape, on a domain that can only mean this machine. */
  readonly registryHost: string;
  readonly #arns: Arns;
  readonly #repositories = new Map<string, StoredRepository>();
  /** The newest push's time: each push is stamped after it, as two pushes to ECR never complete in the same instant. */
  #lastPushMs = 0;

  constructor(arns: Arns, registryHost = `${arns.accountId}.dkr.ecr.${arns.region}.localhost`) {
    this.#arns = arns;
    this.registryId = arns.accountId;
    this.registryHost = registryHost;
  }

  #pushTime(): Date {
    this.#lastPushMs = Math.max(Date.now(), this.#lastPushMs + 1);
    return new Date(this.#lastPushMs);
  }

  createRepository(
    name: string,
    options: {
      imageTagMutability?: 'MUTABLE' | 'IMMUTABLE';
      scanOnPush?: boolean;
      tags?: StoredRepository['tags'];
    } = {},
  ): StoredRepository {
    if (!REPOSITORY_NAME.test(name)) {
      throw new AwsApiError(
        'InvalidParameterException',
        `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '${REPOSITORY_NAME.source}''`,
      );
    }
    if (this.#repositories.has(name)) {
      throw new AwsApiError(
        'RepositoryAlreadyExistsException',
        `The repository with name '${name}' already exists in the registry with id '${this.registryId}'`,
      );
    }
    const repository: StoredRepository = {
      name,
      arn: this.#arns.repository(name),
      uri: `${this.registryHost}/${name}`,
      createdAt: new Date(),
      imageTagMutability: options.imageTagMutability ?? 'MUTABLE',
      scanOnPush: options.scanOnPush ?? false,
      tags: options.tags ?? [],
      images: new Map(),
      tagIndex: new Map(),
    };
    this.#repositories.set(name, repository);
    return repository;
  }

  findRepository(name: string): StoredRepository | undefined {
    return this.#repositories.get(name);
  }

  repository(name: string): StoredRepository {
    const repository = this.#repositories.get(name);
    if (!repository) {
      throw new AwsApiError(
        'RepositoryNotFoundException',
        `The repository with name '${name}' does not exist in the registry with id '${this.registryId}'`,
      );
    }
    return repository;
  }

  repositories(): StoredRepository[] {
    return [...this.#repositories.values()];
  }

  findImage(repository: StoredRepository, id: { imageDigest?: string; imageTag?: string }): StoredImage | undefined {
    const digest = id.imageDigest ?? (id.imageTag === undefined ? undefined : repository.tagIndex.get(id.imageTag));
    const image = digest === undefined ? undefined : repository.images.get(digest);
    if (image && id.imageTag !== undefined && !image.tags.includes(id.imageTag)) return undefined;
    return image;
  }

  /**
   * Stores a manifest and points `tag` at it (PutImage). Returns whether anything
   * changed; ECR answers an unchanged push with ImageAlreadyExistsException.
   */
  putImage(
    repositoryName: string,
    input: { manifest: string; mediaType: string; tag?: string; digest?: string },
  ): { image: StoredImage; changed: boolean } {
    const repository = this.repository(repositoryName);
    const digest = digestOf(input.manifest);
    if (input.digest !== undefined && input.digest !== digest) {
      if (!IMAGE_DIGEST.test(input.digest)) {
        throw new AwsApiError('InvalidParameterException', `Invalid parameter at 'imageDigest': '${input.digest}'`);
      }
      throw new AwsApiError(
        'ImageDigestDoesNotMatchException',
        `The digest '${input.digest}' does not match the digest '${digest}' of the manifest.`,
      );
    }
    const tag = input.tag;
    if (tag !== undefined && !IMAGE_TAG.test(tag)) {
      throw new AwsApiError(
        'InvalidParameterException',
        `Invalid parameter at 'imageTag' failed to satisfy constraint: '${tag}'`,
      );
    }
    const existing = repository.images.get(digest);
    const taggedDigest = tag === undefined ? undefined : repository.tagIndex.get(tag);
    if (existing && (tag === undefined || taggedDigest === digest)) return { image: existing, changed: false };
    if (tag !== undefined && taggedDigest !== undefined && repository.imageTagMutability === 'IMMUTABLE') {
      throw new AwsApiError(
        'ImageTagAlreadyExistsException',
        `The image tag '${tag}' already exists in the '${repository.name}' repository and cannot be overwritten because the repository is immutable.`,
      );
    }

    const image: StoredImage = existing ?? newImage(repository, digest, input, this.#pushTime());
    if (!existing) repository.images.set(digest, image);
    if (tag !== undefined) {
      const previous = taggedDigest === undefined ? undefined : repository.images.get(taggedDigest);
      if (previous) previous.tags = previous.tags.filter((t) => t !== tag);
      repository.tagIndex.set(tag, digest);
      image.tags.push(tag);
      image.pushedAs ??= tag;
    }
    return { image, changed: true };
  }

  /**
   * Resolves a container image as ECS would pull it: `host/repo@sha256:…`,
   * `host/repo:tag` or `host/repo` (`latest`), where host is this registry (any
   * `*.dkr.ecr.*` host is accepted: EcrEmulator.resolve picks the registry a known host names). A bare
   * `repo:tag` naming one of this registry's repositories resolves too.
   * Anything else cannot be pulled: the sandbox has no internet.
   */
  resolve(reference: string): ResolvedImage | undefined {
    const slash = reference.indexOf('/');
    const host = slash > 0 ? reference.slice(0, slash) : '';
    const isEcrHost = host === this.registryHost || /\.dkr\.ecr\./.test(host);
    const path = isEcrHost ? reference.slice(slash + 1) : reference;
    const at = path.indexOf('@');
    const colon = path.lastIndexOf(':');
    const name = at >= 0 ? path.slice(0, at) : colon > path.lastIndexOf('/') ? path.slice(0, colon) : path;
    const repository = this.#repositories.get(name);
    if (!repository) return undefined;
    const id =
      at >= 0
        ? { imageDigest: path.slice(at + 1) }
        : { imageTag: colon > path.lastIndexOf('/') ? path.slice(colon + 1) : 'latest' };
    const image = this.findImage(repository, id);
    if (!image) return undefined;
    return {
      repositoryName: repository.name,
      digest: image.digest,
      tag: 'imageTag' in id ? id.imageTag : (image.pushedAs ?? image.tags[0]),
      uri: `${repository.uri}@${image.digest}`,
    };
  }
}

function newImage(
  repository: StoredRepository,
  digest: string,
  input: { manifest: string; mediaType: string; tag?: string },
  pushedAt: Date,
): StoredImage {
  return {
    digest,
    manifest: input.manifest,
    mediaType: input.mediaType,
    tags: [],
    pushedAt,
    sizeInBytes: imageSizeOf(input.manifest),
    // ECR scans a new image on push; moving a tag to an image it holds scans nothing.
    ...(repository.scanOnPush ? { scan: scanImage(input.tag, pushedAt) } : {}),
  };
}
