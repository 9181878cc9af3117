import { fileURLToPath } from 'node:url';
import { CreateRepositoryCommand, DescribeImagesCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { wire } from '../../../functions/plan/handler.ts';
import { inventManifest } from '../../../sandbox/ecr/manifest.ts';
import { parseFaultSpec } from '../../../sandbox/faults/rules.ts';
import { type Sandbox, startSandbox } from '../../../sandbox/index.ts';
import type { PlanResult } from '../../../src/release/index.ts';
import { fakeLambdaContext } from '../../support/fake-lambda-context.ts';

// The catalog's accounts in the sandbox (issue 20), with a catalog whose web
// staging takes its images from the tools account 333333333333 (through a
// role with an external id) and whose production lives in 222222222222: the
// roles it names exist in their accounts at start, trusting the automation's
// account; a push in the tools account reaches the automation's bus, as the
// tools account's forwarding rule would deliver it, and one in an account the
// catalog does not name does not; plan reads the image in the tools account's
// registry as its role.

const CATALOG = fileURLToPath(new URL('../../fixtures/catalog/tools-registry.yml', import.meta.url));
const TOOLS_ROLE = 'arn:aws:iam::333333333333:role/release-automation-ecr-read';

let sandbox: Sandbox;

/** SDK configuration acting as `accessKeyId` (twelve digits: that account's root; `sandbox`: the automation's). */
const as = (accessKeyId: string, region = 'us-east-1') => ({
  endpoint: sandbox.endpoint,
  region,
  credentials: { accessKeyId, secretAccessKey: 'test' },
  maxAttempts: 1,
});

beforeAll(async () => {
  // Plan is a stub: a started release execution, and its input, is what the event tests look at.
  const idle = async () => ({ releases: [], refusedTargets: [], refused: 'stubbed' });
  sandbox = await startSandbox({
    port: 0,
    slackPort: 0,
    quiet: true,
    lbPorts: { web: 0 },
    demoTrafficPerSecond: 0,
    handlers: { plan: idle },
    environment: { RELEASE_CATALOG_FILE: CATALOG },
  });
  // The sandbox seeded the demo's images where the catalog keeps them: the tools account has demo/web already.
  const tools = new ECRClient(as('333333333333'));
  await expect(tools.send(new CreateRepositoryCommand({ repositoryName: 'demo/web' }))).rejects.toMatchObject({
    name: 'RepositoryAlreadyExistsException',
  });
  const unnamed = new ECRClient(as('444444444444'));
  await unnamed.send(new CreateRepositoryCommand({ repositoryName: 'demo/web' }));
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
});

/** `docker push` of demo/web:`tag` into `account`'s registry, signed as that account. */
async function push(account: string, tag: string): Promise<string> {
  const ecr = new ECRClient(as(account));
  const { image } = await ecr.send(
    new PutImageCommand({ repositoryName: 'demo/web', imageTag: tag, imageManifest: inventManifest('demo/web', tag) }),
  );
  return image?.imageId?.imageDigest ?? '';
}

/** The release executions started by a push of `tag`: their input, the event as the bus delivered it. */
function releasesOf(tag: string): { account: string; region: string }[] {
  const machine = sandbox.stateMachines.byKey('release');
  return sandbox.stateMachines
    .executionsOf(machine?.arn ?? '')
    .map((execution) => JSON.parse(execution.input))
    .filter((input) => input.detail?.['image-tag'] === tag);
}

/** Waits (a bounded number of turns) until a release execution carries `tag`. */
async function released(tag: string) {
  for (let turn = 0; turn < 300 && releasesOf(tag).length === 0; turn++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return releasesOf(tag);
}

describe("the catalog's roles", () => {
  it("exist after start in their accounts, trusting the automation's account with the catalog's external id", async () => {
    const { Role } = await new IAMClient(as('333333333333')).send(
      new GetRoleCommand({ RoleName: 'release-automation-ecr-read' }),
    );
    expect(Role?.Arn).toBe(TOOLS_ROLE);
    expect(JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? ''))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::000000000000:root'] },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': 'sandbox-tools' } },
        },
      ],
    });
    const deploy = await new IAMClient(as('222222222222')).send(
      new GetRoleCommand({ RoleName: 'release-automation-deploy' }),
    );
    expect(deploy.Role?.Arn).toBe('arn:aws:iam::222222222222:role/deploy/release-automation-deploy');
  });

  it('let the automation in with the external id, and only with it', async () => {
    const sts = new STSClient(as('sandbox'));
    const session = await sts.send(
      new AssumeRoleCommand({ RoleArn: TOOLS_ROLE, RoleSessionName: 'event-1', ExternalId: 'sandbox-tools' }),
    );
    expect(session.AssumedRoleUser?.Arn).toBe(
      'arn:aws:sts::333333333333:assumed-role/release-automation-ecr-read/event-1',
    );
    await expect(
      sts.send(new AssumeRoleCommand({ RoleArn: TOOLS_ROLE, RoleSessionName: 'event-1' })),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});

describe('events from other accounts', () => {
  it("delivers a push into the tools account's ECR to the automation's bus, from that account", async () => {
    await push('333333333333', 'v7');
    expect(await released('v7')).toEqual([expect.objectContaining({ account: '333333333333', region: 'us-east-1' })]);
  });

  it('does not deliver a push from an account the catalog does not name', async () => {
    await push('444444444444', 'v8');
    // Events are delivered in the order they were put: once a later one arrived, an earlier one would have.
    await push('333333333333', 'v9');
    expect(await released('v9')).toHaveLength(1);
    expect(releasesOf('v8')).toEqual([]);
  });

  it('loses a forwarded push to an event fault as it would lose its own', async () => {
    sandbox.faults.add(parseFaultSpec('drop@1:events.aws.ecr#1'));
    await push('333333333333', 'v10');
    await push('333333333333', 'v11');
    expect(await released('v11')).toHaveLength(1);
    expect(releasesOf('v10')).toEqual([]);
  });
});

describe("the tools account's registry", () => {
  it("refuses the automation's own credentials another account's registryId, as ECR does without a repository policy", async () => {
    const home = new ECRClient(as('sandbox'));
    await expect(
      home.send(new DescribeImagesCommand({ registryId: '333333333333', repositoryName: 'demo/web' })),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message:
        'User: arn:aws:iam::000000000000:root is not authorized to perform: ecr:DescribeImages on resource: arn:aws:ecr:us-east-1:333333333333:repository/demo/web because no resource-based policy allows the ecr:DescribeImages action',
    });
  });

  it("is read by plan as the catalog's role for it: the image pinned in the tools account's registry", async () => {
    const digest = await push('333333333333', 'v12');
    const [event] = await released('v12');
    const plan = wire({
      env: { ...sandbox.environment },
      aws: {
        endpoint: sandbox.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'sandbox', secretAccessKey: 'x' },
      },
    }) as (event: unknown, context: unknown) => Promise<PlanResult>;
    const result = await plan(event, fakeLambdaContext('plan'));
    // v12 is outside production's semver filter: staging alone.
    expect(result.refusedTargets).toEqual([]);
    expect(result.releases.map((release) => [release.target.environment, release.image.uri])).toEqual([
      ['staging', `333333333333.dkr.ecr.us-east-1.localhost/demo/web@${digest}`],
    ]);
  });
});
