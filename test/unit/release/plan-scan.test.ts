import { readFileSync } from 'node:fs';
import { DescribeImageScanFindingsCommand, ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { catalogSchema } from '../../../src/catalog/schema.ts';
import { parseEcrPush } from '../../../src/release/events/ecr-push.ts';
import { planRelease } from '../../../src/release/plan.ts';
import { answerFromFixtures, catalogEnvironment, mockedPlanPorts } from '../../support/plan-ports.ts';

// Plan's scan gate: an image over its environment's budget is refused before
// anything is touched (announced in the environment's channel), an allowed
// finding releases, and the release carries the counts its record keeps.

const ecsMock = mockClient(ECSClient);
const ecrMock = mockClient(ECRClient);
const NOW = new Date('2026-11-21T10:15:40.000Z');

const push = () => parseEcrPush(JSON.parse(readFileSync('events/aws.ecr/push.json', 'utf8')));
const catalogWith = (scan: Record<string, unknown>) =>
  catalogSchema.parse({ services: { web: { environments: { staging: catalogEnvironment({ scan }) } } } });
const plan = (scan: Record<string, unknown>) =>
  planRelease(push(), { catalog: catalogWith(scan), ...mockedPlanPorts(), now: () => NOW });

beforeEach(() => {
  answerFromFixtures(ecsMock, ecrMock);
  ecrMock.on(DescribeImageScanFindingsCommand).resolves({
    imageScanStatus: { status: 'COMPLETE' },
    imageScanFindings: {
      findingSeverityCounts: { CRITICAL: 1, MEDIUM: 2 },
      findings: [
        {
          name: 'CVE-2026-10001',
          severity: 'CRITICAL',
          attributes: [{ key: 'package_name', value: 'openssl' }],
        },
      ],
    },
  });
});

afterEach(() => {
  ecsMock.reset();
  ecrMock.reset();
});

describe('plan with a scan gate', () => {
  it('refuses an image over budget, with the finding, releasing nothing', async () => {
    const result = await plan({});
    expect(result.releases).toEqual([]);
    expect(result.refusedTargets).toEqual([
      expect.objectContaining({ service: 'web', environment: 'staging', slackChannel: '#releases' }),
    ]);
    expect(result.refusedTargets[0]?.reason).toContain('over its scan budget: 1 CRITICAL (at most 0)');
    expect(result.refusedTargets[0]?.reason).toContain('• CVE-2026-10001 CRITICAL in openssl');
  });

  it('releases it under an unexpired allow entry, and carries the counts for the record', async () => {
    const result = await plan({ allow: [{ id: 'CVE-2026-10001', until: '2026-12-01', reason: 'not reachable' }] });
    expect(result.refusedTargets).toEqual([]);
    expect(result.releases[0]?.scan).toEqual({
      status: 'COMPLETE',
      severityCounts: { CRITICAL: 1, MEDIUM: 2 },
      counted: { critical: 0, high: 0 },
      allowed: ['CVE-2026-10001'],
    });
  });

  it('refuses it again once the allow entry has expired', async () => {
    const result = await plan({ allow: [{ id: 'CVE-2026-10001', until: '2026-11-20', reason: 'not reachable' }] });
    expect(result.releases).toEqual([]);
    expect(result.refusedTargets[0]?.reason).toContain('Allow entries past their date count again: CVE-2026-10001.');
  });
});
