import type { AwsLocation } from '../aws/location.ts';
import { type EcrEvent, ecrEvent } from './ecr-event.ts';

// The EventBridge event ECR sends when a scan ends, field for field as in
// AWS's documentation (events/aws.ecr/scan.json): `resources` names the
// repository, `finding-severity-counts` only the severities found.

/** An `ECR Image Scan` event. */
export type EcrImageScanEvent = EcrEvent<
  'ECR Image Scan',
  {
    'scan-status': 'COMPLETE';
    'repository-name': string;
    'finding-severity-counts': Record<string, number>;
    'image-digest': string;
    'image-tags': string[];
  }
>;

/** The event of one finished scan. */
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
  const detail: EcrImageScanEvent['detail'] = {
    'scan-status': 'COMPLETE',
    'repository-name': scan.repositoryName,
    'finding-severity-counts': scan.counts,
    'image-digest': scan.digest,
    'image-tags': scan.tags,
  };
  return ecrEvent(location, { type: 'ECR Image Scan', resources: [scan.repositoryArn], detail }, at);
}
