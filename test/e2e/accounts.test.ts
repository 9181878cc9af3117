import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { CreateRoleCommand, DeleteRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, it } from '@jest/globals';
import { DEMO_PRODUCTION_LOCATION, DEMO_TOOLS_LOCATION } from '../../sandbox/ecs/seed.ts';
import { digestOfImage, liveRevision } from '../../scripts/lib/ecs-state.ts';
import { releaseOutcome, startRelease, waitForExecution } from '../../scripts/lib/releases.ts';
import { pushImage, syntheticManifest } from '../../src/cli/push.ts';
import { awsJson, describeWithAwsCli } from './support/aws-cli.ts';
import { E2E_TIME_FACTOR, release, useReleaseSandbox } from './support/e2e.ts';

// Issue 20 on the demo as `npm start` runs it: web's images are in the tools
// account's ECR (333333333333), staging runs in the automation's own account,
// production in 222222222222/us-west-2 behind its deployment role. A push to
// the tools account releases staging; a push in an account the catalog does
// not name releases nothing; a production role that no longer trusts the
// automation refuses production at Plan, by name, touching nothing.

const lines: string[] = [];
const rs = useReleaseSandbox({ timeFactor: E2E_TIME_FACTOR, productionDemo: true, print: (line) => lines.push(line) });
const PRODUCTION_ROLE = 'arn:aws:iam::222222222222:role/release-automation-deploy';
const TOOLS_REGISTRY = `${DEMO_TOOLS_LOCATION.accountId}.dkr.ecr.${DEMO_TOOLS_LOCATION.region}.`;

/** A client of `account` (an access key id of twelve digits acts as that account in the sandbox). */
const as = (account: string, region = 'us-east-1') => ({
  endpoint: rs.sandbox.endpoint,
  region,
  credentials: { accessKeyId: account, secretAccessKey: 'sandbox' },
});

/** Sends a published GitHub release of example/web `tag`, as `release github-release` does; the execution it started. */
async function gitHubRelease(tag: string): Promise<string> {
  const { code, lines: output } = await release([
    'github-release',
    'example/web',
    tag,
    '--endpoint-url',
    rs.sandbox.endpoint,
  ]);
  const execution = /^release started: (arn:\S+)$/.exec(output[1] ?? '')?.[1];
  if (code !== 0 || execution === undefined)
    throw new Error(`github-release ${tag} started nothing: ${output.join(' / ')}`);
  return execution;
}

/** The first Slack message whose text `matches`, once it is posted. */
async function slackMessage(matches: (text: string) => boolean): Promise<{ text: string; ts: string }> {
  for (let i = 0; i < 400; i++) {
    const found = rs.sandbox.slack.messages().find((message) => matches(message.text ?? ''));
    if (found) return { text: found.text ?? '', ts: found.ts };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('no such Slack message arrived');
}

describe('the demo across accounts', () => {
  it('says where each service and its images are when it starts (the banner of npm start)', () => {
    const notes = rs.sandbox.services.flatMap((service) => service.notes ?? []);
    expect(notes).toContainEqual(
      expect.stringContaining(
        "demo service web (cluster sandbox, account 000000000000, us-east-1) runs demo/web:v1 from account 333333333333, us-east-1's ECR",
      ),
    );
    expect(notes).toContainEqual(
      expect.stringContaining(
        "demo production web-production (cluster sandbox, account 222222222222, us-west-2) runs demo/web:v1 from account 333333333333, us-east-1's ECR",
      ),
    );
  });

  it('releases a push to the tools account’s ECR to staging, pinned to the tools registry', async () => {
    const { digest, executionArn } = await startRelease(rs.target, 'demo/web', 'v2');
    const ended = await waitForExecution(rs.target, executionArn);
    expect(await releaseOutcome(rs.target, ended, digest)).toBe('SUCCEEDED');
    const staging = await liveRevision(rs.ecs, 'web');
    expect(staging.image).toMatch(new RegExp(`^${TOOLS_REGISTRY.replaceAll('.', '\\.')}`));
    expect(digestOfImage(staging.image)).toBe(digest);
    // Read in the tools account through its role, in a session named for the push's event.
    expect(rs.sandbox.sessions.issued()).toContainEqual(
      expect.objectContaining({ roleArn: 'arn:aws:iam::333333333333:role/release-automation-deploy' }),
    );
  }, 60_000);

  it('ignores a push in an account the catalog does not name: no release starts', async () => {
    const executions = () =>
      rs.sandbox.stateMachines.stateMachines().flatMap((machine) => rs.sandbox.stateMachines.executionsOf(machine.arn))
        .length;
    const before = executions();
    const stranger = new ECRClient(as('444444444444'));
    await stranger.send(new CreateRepositoryCommand({ repositoryName: 'demo/web' }));
    await stranger.send(
      new PutImageCommand({
        repositoryName: 'demo/web',
        imageTag: 'v3',
        imageManifest: syntheticManifest('demo/web', 'v3'),
        imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
      }),
    );
    stranger.destroy();
    // A forwarded push starts its release within a few hundred milliseconds (the staging push above).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(executions()).toBe(before);
    expect(lines).toContainEqual(expect.stringMatching(/444444444444.*stays there/));
  }, 30_000);

  it('releases a GitHub release to production in its own account, as its role in a session named for the release', async () => {
    const digest = await pushImage(rs.target, 'demo/web', 'v5');
    const executionArn = await gitHubRelease('v5');
    // Approved in Slack by an approver.
    const asked = await slackMessage((text) => text.startsWith('Approval needed: web v5 to production'));
    const approvalId = /\(approval ([^)]+)\)/.exec(asked.text)?.[1] ?? '';
    expect((await rs.sandbox.slack.clickButton(asked.ts, 'approve', 'U0APPROVER', approvalId)).status).toBe(200);
    const ended = await waitForExecution(rs.target, executionArn);
    expect(ended.outcomes).toEqual([expect.objectContaining({ outcome: 'SUCCEEDED' })]);

    const production = await liveRevision(rs.productionEcs, 'web-production');
    expect(digestOfImage(production.image)).toBe(digest);
    expect(production.taskDefinitionArn).toMatch(
      /^arn:aws:ecs:us-west-2:222222222222:task-definition\/web-production:/,
    );
    const releaseId = ended.outcomes[0]?.releaseId ?? '';
    expect(rs.sandbox.sessions.issued()).toContainEqual(
      expect.objectContaining({
        roleArn: PRODUCTION_ROLE,
        sessionName: releaseId,
        arn: `arn:aws:sts::222222222222:assumed-role/release-automation-deploy/${releaseId}`,
      }),
    );
  }, 60_000);

  it('refuses production at Plan, by the role’s name, once its role no longer trusts the automation; nothing there changes', async () => {
    const iam = new IAMClient(as(DEMO_PRODUCTION_LOCATION.accountId));
    await iam.send(new DeleteRoleCommand({ RoleName: 'release-automation-deploy' }));
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'release-automation-deploy',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole' },
          ],
        }),
      }),
    );
    iam.destroy();
    const before = await liveRevision(rs.productionEcs, 'web-production');
    await pushImage(rs.target, 'demo/web', 'v6');
    await waitForExecution(rs.target, await gitHubRelease('v6'));
    const refusal = (await slackMessage((text) => text.includes('v6') && text.includes(PRODUCTION_ROLE))).text;
    expect(refusal).toMatch(
      /222222222222\/us-west-2 as release-automation-deploy cannot be reached: cannot assume role/,
    );
    expect(await liveRevision(rs.productionEcs, 'web-production')).toEqual(before);
  }, 60_000);
});

describeWithAwsCli('the AWS CLI v2 on the demo', () => {
  it('finds web-production as 222222222222 in us-west-2, and not in the default account', async () => {
    const args = ['ecs', 'describe-services', '--cluster', 'sandbox', '--services', 'web-production'];
    type Answer = { services: { serviceArn: string }[]; failures: { reason: string }[] };
    const production = await awsJson<Answer>(rs.sandbox.endpoint, args, {
      AWS_ACCESS_KEY_ID: '222222222222',
      AWS_REGION: 'us-west-2',
    });
    expect(production.services.map((service) => service.serviceArn)).toEqual([
      'arn:aws:ecs:us-west-2:222222222222:service/sandbox/web-production',
    ]);
    const home = await awsJson<Answer>(rs.sandbox.endpoint, args);
    expect(home.services).toEqual([]);
    expect(home.failures.map((failure) => failure.reason)).toEqual(['MISSING']);
  });
});
