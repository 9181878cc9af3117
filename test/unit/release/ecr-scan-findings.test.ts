import { DescribeImageScanFindingsCommand, ECRClient, type FindingSeverity } from '@aws-sdk/client-ecr';
import { afterEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { ImageNotFoundError, TransientError } from '../../../src/platform/errors.ts';
import { createEcrScanFindings } from '../../../src/release/adapters/ecr-scan-findings.ts';
import { awsError } from '../../support/aws-fixture.ts';

const ecrMock = mockClient(ECRClient);
const scans = createEcrScanFindings(new ECRClient({ region: 'us-east-1' }));
const DIGEST = 'sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234abcd';

afterEach(() => {
  ecrMock.reset();
});

const finding = (name: string, severity: FindingSeverity, pkg: string) => ({
  name,
  severity,
  uri: `https://security-tracker.debian.org/tracker/${name}`,
  attributes: [
    { key: 'package_version', value: '1.0' },
    { key: 'package_name', value: pkg },
  ],
});

describe('the ECR scan-findings adapter', () => {
  it('reads every page of a complete scan, with ECR severity counts', async () => {
    const counts = { CRITICAL: 1, HIGH: 1 };
    ecrMock
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce({
        imageScanStatus: { status: 'COMPLETE' },
        imageScanFindings: {
          findingSeverityCounts: counts,
          findings: [finding('CVE-2026-10001', 'CRITICAL', 'openssl')],
        },
        nextToken: 'page-2',
      })
      .resolvesOnce({
        imageScanStatus: { status: 'COMPLETE' },
        imageScanFindings: { findingSeverityCounts: counts, findings: [finding('CVE-2026-20001', 'HIGH', 'zlib')] },
      });
    await expect(scans.readScan('demo/web', DIGEST)).resolves.toEqual({
      status: 'COMPLETE',
      severityCounts: counts,
      findings: [
        { id: 'CVE-2026-10001', severity: 'CRITICAL', package: 'openssl' },
        { id: 'CVE-2026-20001', severity: 'HIGH', package: 'zlib' },
      ],
    });
    const calls = ecrMock.commandCalls(DescribeImageScanFindingsCommand).map((call) => call.args[0].input);
    expect(calls).toEqual([
      { repositoryName: 'demo/web', imageId: { imageDigest: DIGEST }, maxResults: 1000 },
      { repositoryName: 'demo/web', imageId: { imageDigest: DIGEST }, maxResults: 1000, nextToken: 'page-2' },
    ]);
  });

  it('says a scan is in progress, never ran, or failed', async () => {
    ecrMock
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce({ imageScanStatus: { status: 'IN_PROGRESS' } })
      .rejectsOnce(awsError('ScanNotFoundException', 'Image scan does not exist for the image'))
      .resolvesOnce({ imageScanStatus: { status: 'UNSUPPORTED_IMAGE', description: 'UnsupportedImageError' } })
      .resolvesOnce({ imageScanFindings: { findings: [] } });
    await expect(scans.readScan('demo/web', DIGEST)).resolves.toEqual({ status: 'IN_PROGRESS' });
    await expect(scans.readScan('demo/web', DIGEST)).resolves.toEqual({ status: 'NOT_SCANNED' });
    await expect(scans.readScan('demo/web', DIGEST)).resolves.toEqual({
      status: 'FAILED',
      description: 'UNSUPPORTED_IMAGE: UnsupportedImageError',
    });
    // No status at all is never taken for a clean scan.
    await expect(scans.readScan('demo/web', DIGEST)).resolves.toEqual({
      status: 'FAILED',
      description: 'UNKNOWN: no description',
    });
  });

  it('maps a missing image to ImageNotFoundError and throttling to TransientError', async () => {
    ecrMock
      .on(DescribeImageScanFindingsCommand)
      .rejectsOnce(awsError('ImageNotFoundException', 'no such image'))
      .rejectsOnce(awsError('ThrottlingException', 'Rate exceeded'));
    await expect(scans.readScan('demo/web', DIGEST)).rejects.toThrow(ImageNotFoundError);
    await expect(scans.readScan('demo/web', DIGEST)).rejects.toThrow(TransientError);
  });
});
