import { readFileSync } from 'node:fs';
import type { DescribeImageScanFindingsResponse } from '@aws-sdk/client-ecr';
import { EcrEmulator } from '../../../sandbox/ecr/emulator.ts';
import type { EcrImageActionEvent } from '../../../sandbox/ecr/push-event.ts';
import { EcrRegistry } from '../../../sandbox/ecr/registry.ts';
import type { EcrImageScanEvent } from '../../../sandbox/ecr/scan-event.ts';
import { Arns, defaultLocation } from '../../../sandbox/ecs/arn.ts';
import { call } from '../support/ecs-world.ts';

// ECR's scan on push as the sandbox plays it: findings chosen by tag words,
// DescribeImageScanFindings answered and paged as ECR does, the scan event after the push's.

const sample = JSON.parse(
  readFileSync(new URL('../../../events/aws.ecr/scan.json', import.meta.url), 'utf8'),
) as EcrImageScanEvent;

let events: (EcrImageActionEvent | EcrImageScanEvent)[];
let ecr: EcrEmulator;

beforeEach(async () => {
  events = [];
  ecr = new EcrEmulator({
    location: defaultLocation,
    registry: new EcrRegistry(new Arns(defaultLocation)),
    onPush: (event) => {
      events.push(event);
    },
    onScan: (event) => {
      events.push(event);
    },
  });
  await ecr.handle('CreateRepository', {
    repositoryName: 'demo/web',
    imageScanningConfiguration: { scanOnPush: true },
  });
  await ecr.handle('CreateRepository', { repositoryName: 'demo/unscanned' });
});

const delivered = () => new Promise((resolve) => setImmediate(resolve));
const findings = (input: Record<string, unknown>) =>
  call<DescribeImageScanFindingsResponse>(ecr, 'DescribeImageScanFindings', { repositoryName: 'demo/web', ...input });

describe('ECR scan on push', () => {
  it('finds what the tag words ask for, and sends the scan event after the push event', async () => {
    const pushed = await ecr.push('demo/web', 'v2-crit1-high2');
    await delivered();
    await delivered();
    expect(events.map((event) => event['detail-type'])).toEqual(['ECR Image Action', 'ECR Image Scan']);
    const scan = events[1] as EcrImageScanEvent;
    expect(Object.keys(scan).sort()).toEqual(Object.keys(sample).sort());
    expect(Object.keys(scan.detail).sort()).toEqual(Object.keys(sample.detail).sort());
    expect(scan.detail).toEqual({
      'scan-status': 'COMPLETE',
      'repository-name': 'demo/web',
      'image-digest': pushed.imageDigest,
      'image-tags': ['v2-crit1-high2'],
      'finding-severity-counts': { CRITICAL: 1, HIGH: 2 },
    });
    expect(scan.resources).toEqual(['arn:aws:ecr:us-east-1:000000000000:repository/demo/web']);

    const answer = await findings({ imageId: { imageTag: 'v2-crit1-high2' } });
    expect(answer.imageScanStatus).toEqual({ status: 'COMPLETE', description: 'The scan was completed successfully.' });
    expect(answer.imageScanFindings?.findingSeverityCounts).toEqual({ CRITICAL: 1, HIGH: 2 });
    expect(answer.imageScanFindings?.findings?.map(({ name, severity }) => `${name} ${severity}`)).toEqual([
      'CVE-2026-10001 CRITICAL',
      'CVE-2026-20001 HIGH',
      'CVE-2026-20002 HIGH',
    ]);
    expect(answer.imageScanFindings?.findings?.[0]?.attributes).toContainEqual({ key: 'package_name', value: 'zlib' });
  });

  it('scans a clean tag clean, and a tag moved to a scanned image sends no second scan event', async () => {
    const pushed = await ecr.push('demo/web', 'v3');
    await ecr.handle('PutImage', {
      repositoryName: 'demo/web',
      imageManifest: ecr.registry.repository('demo/web').images.get(pushed.imageDigest)?.manifest,
      imageTag: 'latest',
    });
    await delivered();
    await delivered();
    expect(events.map((event) => event['detail-type']).sort()).toEqual([
      'ECR Image Action',
      'ECR Image Action',
      'ECR Image Scan',
    ]);
    const answer = await findings({ imageId: { imageDigest: pushed.imageDigest } });
    expect(answer.imageScanFindings).toMatchObject({ findingSeverityCounts: {}, findings: [] });
  });

  it('pages findings by maxResults and nextToken', async () => {
    const pushed = await ecr.push('demo/web', 'v4-crit3-high4');
    const imageId = { imageDigest: pushed.imageDigest };
    const names: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const answer = await findings({ imageId, maxResults: 3, ...(nextToken ? { nextToken } : {}) });
      names.push(...(answer.imageScanFindings?.findings ?? []).map((finding) => finding.name ?? ''));
      expect(answer.imageScanFindings?.findingSeverityCounts).toEqual({ CRITICAL: 3, HIGH: 4 });
      nextToken = answer.nextToken;
      pages += 1;
    } while (nextToken);
    expect(pages).toBe(3);
    expect(new Set(names).size).toBe(7);
    await expect(findings({ imageId, maxResults: 1001 })).rejects.toMatchObject({ code: 'InvalidParameterException' });
    await expect(findings({ imageId, nextToken: 'bm90LWEtbnVtYmVy' })).rejects.toMatchObject({
      code: 'InvalidParameterException',
    });
  });

  it('answers as ECR does for an image never scanned, a missing image and a missing id', async () => {
    const pushed = await ecr.push('demo/unscanned', 'v1-crit1');
    await expect(
      call(ecr, 'DescribeImageScanFindings', {
        repositoryName: 'demo/unscanned',
        imageId: { imageDigest: pushed.imageDigest },
      }),
    ).rejects.toMatchObject({ code: 'ScanNotFoundException' });
    await expect(findings({ imageId: { imageTag: 'nope' } })).rejects.toMatchObject({
      code: 'ImageNotFoundException',
    });
    await expect(findings({ imageId: {} })).rejects.toMatchObject({ code: 'InvalidParameterException' });
    await expect(
      call(ecr, 'DescribeImageScanFindings', { repositoryName: 'demo/gone', imageId: { imageTag: 'v1' } }),
    ).rejects.toMatchObject({ code: 'RepositoryNotFoundException' });
  });
});
