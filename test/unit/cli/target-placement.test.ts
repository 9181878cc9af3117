import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { resolveTarget } from '../../../src/cli/target.ts';
import { cliSessionName, deploymentEcs } from '../../../src/cli/target-placement.ts';

// The CLI reads a release's deployment where it lives (issue 20): the ARN
// names the account and region, the catalog the role to assume there, in a
// session named after the CLI's user.

const sts = mockClient(STSClient);
afterEach(() => {
  sts.reset();
});

const env = { RELEASE_CATALOG_FILE: 'test/fixtures/catalog/rotation-accounts.yml', USER: 'jane doe' };
const ROLE = 'arn:aws:iam::222222222222:role/release-automation-deploy';
const session = {
  AccessKeyId: 'ASIACLISESSION',
  SecretAccessKey: 'session-secret',
  SessionToken: 'session-token',
  Expiration: new Date(Date.now() + 3_600_000),
};

/** Where a client acts: its region and the access key it signs with. */
const actsAs = async (client: ReturnType<typeof deploymentEcs>) => ({
  region: await client.config.region(),
  accessKeyId: (await client.config.credentials()).accessKeyId,
});

describe("the CLI's reads of a deployment", () => {
  it("go to the deployment's account and region through the catalog target's role, as release-cli-<user>", async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: session });
    const target = resolveTarget({ 'endpoint-url': 'http://127.0.0.1:1' }, {});
    const ecs = deploymentEcs(
      target,
      'arn:aws:ecs:us-west-2:222222222222:service-deployment/sandbox/web-production/Qx7Kp2mN4vR8sT1wYz3b',
      env,
    );

    expect(await actsAs(ecs)).toEqual({ region: 'us-west-2', accessKeyId: 'ASIACLISESSION' });
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input)).toEqual([
      expect.objectContaining({
        RoleArn: ROLE,
        RoleSessionName: 'release-cli-jane-doe',
        ExternalId: 'release-automation',
      }),
    ]);
  });

  it("of a target naming no role use the CLI's own credentials, in the deployment's region", async () => {
    const target = resolveTarget({ 'endpoint-url': 'http://127.0.0.1:1' }, {});
    const ecs = deploymentEcs(
      target,
      'arn:aws:ecs:us-east-1:000000000000:service-deployment/sandbox/web/Qx7Kp2mN4vR8sT1wYz3b',
      env,
    );

    expect(await actsAs(ecs)).toEqual({ region: 'us-east-1', accessKeyId: 'sandbox' });
    expect(sts.commandCalls(AssumeRoleCommand)).toEqual([]);
  });

  it('name their session after the user, as STS allows', () => {
    expect(cliSessionName({ USER: 'jane doe' })).toBe('release-cli-jane-doe');
    expect(cliSessionName({})).toBe('release-cli');
  });
});
