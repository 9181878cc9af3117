import { randomUUID } from 'node:crypto';
import type { AwsLocation } from '../aws/location.ts';

// The EventBridge event ECR sends when a scan ends, field for field as in
// AWS's documentation (events/aws.ecr/scan.json): `resources` names the
// repository, `finding-severity-counts` only the severities found.

/** An `ECR Image Scan` event. */
export interface EcrImageScanEvent {
  version: '0';
  id: string;
  'detail-type': 'ECR Image Scan';
  source: 'aws.ecr';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: {
    'scan-status': 'COMPLETE';
    'repository-name': string;
    'finding-severity-counts': Record<string, number>;
    'image-digest': string;
    'image-tags': string[];
  };
}

/** The event of one finished scan; `time` is ISO 8601 without milliseconds, as EventBridge writes it. */
export function imageScanEvent(
  location: AwsLocation,
  scan: {
    repositoryArn: string;
    repositoryName: string;
    digest: string;
    tags: string[];
    counts: Record<string, number>;
  },
  at = new Date(),
): EcrImageScanEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'ECR Image Scan',
    source: 'aws.ecr',
    account: location.accountId,
    time: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: location.region,
    resources: [scan.repositoryArn],
    detail: {
      'scan-status': 'COMPLETE',
      'repository-name': scan.repositoryName,
      'finding-severity-counts': scan.counts,
      'image-digest': scan.digest,
      'image-tags': scan.tags,
    },
  };
}
