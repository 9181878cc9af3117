import type { DescribeImageScanFindingsResponse } from '@aws-sdk/client-ecr';
import type { InputReader } from '../aws/input-reader.ts';
import { page } from '../aws/paging.ts';
import { AwsApiError } from '../aws/service.ts';
import type { EcrModel } from './model.ts';
import { severityCounts } from './scan.ts';
import { imageNotFound } from './views.ts';
import { ECR_INVALID_TOKEN } from './wire.ts';

/** DescribeImageScanFindings: an image's scan on push, its findings paged (`ScanNotFoundException` if never scanned). */
export function describeImageScanFindings(ecr: EcrModel, reader: InputReader): DescribeImageScanFindingsResponse {
  const { registry } = ecr;
  const repository = registry.repository(reader.string('repositoryName'));
  const idReader = reader.optionalObject('imageId') ?? reader.fail('imageId is required.');
  const imageDigest = idReader.optionalString('imageDigest');
  const imageTag = idReader.optionalString('imageTag');
  const id = { ...(imageDigest ? { imageDigest } : {}), ...(imageTag ? { imageTag } : {}) };
  if (!imageDigest && !imageTag) reader.fail('Invalid request parameters: both tag and digest cannot be null');
  const maxResults = reader.optionalInteger('maxResults', 1, 1000) ?? 100;
  const image = registry.findImage(repository, id);
  if (!image) throw imageNotFound(registry, repository, id);
  if (!image.scan) {
    throw new AwsApiError(
      'ScanNotFoundException',
      `Image scan does not exist for the image with '{imageDigest:'${imageDigest ?? 'null'}', imageTag:'${imageTag ?? 'null'}'}' in the repository with name '${repository.name}' in the registry with id '${registry.registryId}'`,
    );
  }
  const { items, nextToken } = page(
    image.scan.findings,
    reader.optionalString('nextToken'),
    maxResults,
    ECR_INVALID_TOKEN,
  );
  return {
    registryId: registry.registryId,
    repositoryName: repository.name,
    imageId: { imageDigest: image.digest, ...(imageTag ? { imageTag } : {}) },
    imageScanStatus: { status: 'COMPLETE', description: 'The scan was completed successfully.' },
    imageScanFindings: {
      imageScanCompletedAt: image.scan.completedAt,
      vulnerabilitySourceUpdatedAt: image.scan.completedAt,
      findingSeverityCounts: severityCounts(image.scan),
      findings: items,
    },
    ...(nextToken ? { nextToken } : {}),
  };
}
