import { DescribeImageScanFindingsCommand, ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { catalogSchema } from '../../../src/catalog/schema.ts';
import type { PlanResult } from '../../../src/release/release.ts';
import { type ChatDeploy, startChatRelease } from '../../../src/slack/deploy-command.ts';
import { answerFromFixtures, catalogEnvironment, mockedPlanPorts } from '../../support/plan-ports.ts';

// `/release deploy` passes the same scan gate as a push: over budget is refused
// (nothing started), a hotfix goes past it only where the catalog says
// hotfixBypass, and the started release's record will say so.

const ecsMock = mockClient(ECSClient);
const ecrMock = mockClient(ECRClient);

const started: PlanResult[] = [];
const deploy = (scan: Record<string, unknown>, ask: Partial<ChatDeploy> = {}) =>
  startChatRelease(
    { service: 'web', environment: 'staging', tag: 'v2', hotfix: false, user: 'U0DEPLOYER', requestId: 'r-1', ...ask },
    {
      catalog: catalogSchema.parse({
        services: { web: { environments: { staging: catalogEnvironment({ approvers: ['U0DEPLOYER'], scan }) } } },
      }),
      ...mockedPlanPorts(),
      releases: { listReleases: async () => [] },
      workflow: {
        start: async (name: string, input: PlanResult) => {
          started.push(input);
          return { executionArn: `arn:aws:states:us-east-1:123456789012:execution:release:${name}` };
        },
      },
      chat: { groupMembers: async () => [] },
      now: () => new Date('2026-11-21T10:15:40.000Z'),
    },
  );

beforeEach(() => {
  started.length = 0;
  answerFromFixtures(ecsMock, ecrMock);
  ecrMock.on(DescribeImageScanFindingsCommand).resolves({
    imageScanStatus: { status: 'COMPLETE' },
    imageScanFindings: {
      findingSeverityCounts: { CRITICAL: 1 },
      findings: [
        { name: 'CVE-2026-10001', severity: 'CRITICAL', attributes: [{ key: 'package_name', value: 'zlib' }] },
      ],
    },
  });
});

afterEach(() => {
  ecsMock.reset();
  ecrMock.reset();
});

describe('/release deploy and the scan gate', () => {
  it('refuses an image over budget and starts nothing', async () => {
    const reply = await deploy({});
    expect(reply.text).toContain('Not released:');
    expect(reply.text).toContain('CVE-2026-10001 CRITICAL in zlib');
    expect(started).toEqual([]);
  });

  it('refuses a hotfix too, unless the catalog lets hotfixes bypass the gate', async () => {
    expect((await deploy({}, { hotfix: true })).text).toContain('over its scan budget');
    expect(started).toEqual([]);
    const reply = await deploy({ hotfixBypass: true }, { hotfix: true });
    expect(reply.text).toMatch(/^Hotfixing web\/staging/);
    expect(started[0]?.releases[0]).toMatchObject({
      hotfix: true,
      scan: { counted: { critical: 1, high: 0 }, hotfixBypass: true },
    });
  });

  it("reads the image in the environment's own registry (a tools account's), there too for its scan", async () => {
    const tools = catalogSchema.parse({
      services: {
        web: {
          environments: {
            staging: catalogEnvironment({ approvers: ['U0DEPLOYER'], scan: {}, registry: { account: '333333333333' } }),
          },
        },
      },
    });
    await startChatRelease(
      { service: 'web', environment: 'staging', tag: 'v2', hotfix: false, user: 'U0DEPLOYER', requestId: 'r-2' },
      {
        catalog: tools,
        ...mockedPlanPorts(),
        releases: { listReleases: async () => [] },
        workflow: {
          start: async () => ({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:release:x' }),
        },
        chat: { groupMembers: async () => [] },
        now: () => new Date('2026-11-21T10:15:40.000Z'),
      },
    );
    expect(ecrMock.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(1);
    const registryIds = ecrMock.calls().map((call) => (call.args[0].input as { registryId?: string }).registryId);
    expect(new Set(registryIds)).toEqual(new Set(['333333333333']));
  });
});
