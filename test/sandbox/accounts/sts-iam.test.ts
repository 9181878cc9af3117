import { CloudWatchClient, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateRoleCommand, DeleteRoleCommand, GetRoleCommand, IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import {
  AssumeRoleCommand,
  type AssumeRoleCommandInput,
  GetCallerIdentityCommand,
  STSClient,
} from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { trustPolicy } from '../../../sandbox/iam/seed.ts';
import { type Sandbox, startSandbox } from '../../../sandbox/index.ts';
import { awsJson, describeWithAwsCli } from '../../e2e/support/aws-cli.ts';

// STS and IAM as a release across accounts needs them: roles exist per
// account, trust whom their policy names, and hand out credentials that act
// in the role's account; everything else is AccessDenied or a ValidationError
// worded as AWS words it.

const ROLE = 'arn:aws:iam::222222222222:role/release-deployer';
const credentials = (accessKeyId: string, extra: { secretAccessKey?: string; sessionToken?: string } = {}) => ({
  accessKeyId,
  secretAccessKey: extra.secretAccessKey ?? 'test',
  ...(extra.sessionToken ? { sessionToken: extra.sessionToken } : {}),
});
const config = (creds: ReturnType<typeof credentials>, region = 'us-east-1') => ({
  endpoint: sandbox.endpoint,
  region,
  credentials: creds,
  maxAttempts: 1,
});
const sts = (key = 'test') => new STSClient(config(credentials(key)));
const assume = (input: Partial<AssumeRoleCommandInput>, key = 'test') =>
  sts(key).send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'release', ...input }));

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    slackPort: 0,
    quiet: true,
    services: [],
    roles: [
      // The automation's account may deploy into production, given the external id.
      {
        accountId: '222222222222',
        roleName: 'release-deployer',
        trustedPrincipals: ['000000000000'],
        externalId: 'sandbox-release',
      },
      // Only the deployer's sessions may read the tools account, for up to two hours.
      { accountId: '333333333333', roleName: 'image-reader', trustedPrincipals: [ROLE], maxSessionDuration: 7200 },
    ],
  });
});

afterAll(async () => {
  await sandbox?.stop();
});

describe('STS GetCallerIdentity', () => {
  it("names the account root of a plain key: twelve digits are that account, anything else the sandbox's", async () => {
    expect(await sts().send(new GetCallerIdentityCommand({}))).toMatchObject({
      Account: '000000000000',
      Arn: 'arn:aws:iam::000000000000:root',
      UserId: '000000000000',
    });
    expect(await sts('111111111111').send(new GetCallerIdentityCommand({}))).toMatchObject({
      Account: '111111111111',
      Arn: 'arn:aws:iam::111111111111:root',
    });
  });
});

describe('STS AssumeRole', () => {
  it("gives credentials acting as the role's session, in the role's account", async () => {
    const answer = await assume({ ExternalId: 'sandbox-release', DurationSeconds: 900 });
    const issued = answer.Credentials;
    expect(issued?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(issued?.SecretAccessKey).toBeTruthy();
    expect(issued?.SessionToken).toBeTruthy();
    const lasts = (issued?.Expiration?.getTime() ?? 0) - Date.now();
    expect(lasts).toBeGreaterThan(880_000);
    expect(lasts).toBeLessThanOrEqual(900_000);
    expect(answer.AssumedRoleUser).toEqual({
      AssumedRoleId: expect.stringMatching(/^AROA[A-Z2-7]{17}:release$/),
      Arn: 'arn:aws:sts::222222222222:assumed-role/release-deployer/release',
    });

    const session = credentials(issued?.AccessKeyId ?? '', {
      secretAccessKey: issued?.SecretAccessKey ?? '',
      sessionToken: issued?.SessionToken ?? '',
    });
    const identity = await new STSClient(config(session)).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({
      Account: '222222222222',
      Arn: 'arn:aws:sts::222222222222:assumed-role/release-deployer/release',
      UserId: answer.AssumedRoleUser?.AssumedRoleId,
    });
    // What the session writes is the role's account's, in the region it signs for.
    const cloudwatch = new CloudWatchClient(config(session, 'us-west-2'));
    await cloudwatch.send(
      new PutMetricDataCommand({ Namespace: 'Assumed/Made', MetricData: [{ MetricName: 'Writes', Value: 1 }] }),
    );
    const asProduction = new CloudWatchClient(config(credentials('222222222222'), 'us-west-2'));
    const found = await asProduction.send(new ListMetricsCommand({ Namespace: 'Assumed/Made' }));
    expect(found.Metrics?.map((m) => m.MetricName)).toEqual(['Writes']);
    const asHome = new CloudWatchClient(config(credentials('test'), 'us-west-2'));
    expect((await asHome.send(new ListMetricsCommand({ Namespace: 'Assumed/Made' }))).Metrics).toEqual([]);

    // A role session may chain into a role that trusts that role, for at most an hour.
    const chained = await assume({
      RoleArn: 'arn:aws:iam::333333333333:role/image-reader',
      RoleSessionName: 'images',
      DurationSeconds: 3600,
    }).catch((error: unknown) => error);
    expect(chained).toMatchObject({ name: 'AccessDenied' });
    const sessionSts = new STSClient(config(session));
    const reader = await sessionSts.send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::333333333333:role/image-reader', RoleSessionName: 'images' }),
    );
    expect(reader.AssumedRoleUser?.Arn).toBe('arn:aws:sts::333333333333:assumed-role/image-reader/images');
    await expect(
      sessionSts.send(
        new AssumeRoleCommand({
          RoleArn: 'arn:aws:iam::333333333333:role/image-reader',
          RoleSessionName: 'images',
          DurationSeconds: 7200,
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    });
  });

  it('is AccessDenied, in AWS words, for an untrusted caller, a missing role, or a wrong or missing external id', async () => {
    const denied = (caller: string, role = ROLE) =>
      expect.objectContaining({
        name: 'AccessDenied',
        message: `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${role}`,
        $metadata: expect.objectContaining({ httpStatusCode: 403 }),
      });
    await expect(assume({ ExternalId: 'sandbox-release' }, '111111111111')).rejects.toEqual(
      denied('arn:aws:iam::111111111111:root'),
    );
    const missing = 'arn:aws:iam::222222222222:role/no-such-role';
    await expect(assume({ RoleArn: missing, ExternalId: 'sandbox-release' })).rejects.toEqual(
      denied('arn:aws:iam::000000000000:root', missing),
    );
    await expect(assume({ ExternalId: 'wrong-id' })).rejects.toEqual(denied('arn:aws:iam::000000000000:root'));
    await expect(assume({})).rejects.toEqual(denied('arn:aws:iam::000000000000:root'));
  });

  it('refuses a bad session name or a duration out of range with a ValidationError', async () => {
    const invalid = (message: string) => expect.objectContaining({ name: 'ValidationError', message });
    await expect(assume({ RoleSessionName: 'a', ExternalId: 'sandbox-release' })).rejects.toEqual(
      invalid(
        "1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
      ),
    );
    await expect(assume({ RoleSessionName: 'two words', ExternalId: 'sandbox-release' })).rejects.toEqual(
      invalid(
        "1 validation error detected: Value 'two words' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      ),
    );
    await expect(assume({ DurationSeconds: 899, ExternalId: 'sandbox-release' })).rejects.toEqual(
      invalid(
        "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
      ),
    );
    await expect(assume({ DurationSeconds: 43201, ExternalId: 'sandbox-release' })).rejects.toEqual(
      invalid(
        "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
      ),
    );
    // Within STS's bounds, beyond the role's (an hour unless the role says more).
    await expect(assume({ DurationSeconds: 7200, ExternalId: 'sandbox-release' })).rejects.toEqual(
      invalid('The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'),
    );
  });

  it('refuses a session once it has expired, and a session token that is not its own', async () => {
    const { Credentials: issued } = await assume({ ExternalId: 'sandbox-release', DurationSeconds: 900 });
    const session = (sessionToken: string) =>
      new STSClient(
        config(
          credentials(issued?.AccessKeyId ?? '', { secretAccessKey: issued?.SecretAccessKey ?? '', sessionToken }),
        ),
      );
    await expect(session('forged').send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
    });
    sandbox.clock.advance(901_000);
    await expect(session(issued?.SessionToken ?? '').send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
      name: 'ExpiredTokenException',
      message: 'The security token included in the request is expired',
    });
  });
});

describe('IAM roles', () => {
  const iam = (key: string) => new IAMClient(config(credentials(key)));

  it("creates, gets, pages and deletes roles in the caller's account only", async () => {
    const team = iam('444444444444');
    const document = trustPolicy({ trustedPrincipals: ['000000000000'] });
    const { Role } = await team.send(
      new CreateRoleCommand({ RoleName: 'deployer-b', AssumeRolePolicyDocument: document, MaxSessionDuration: 7200 }),
    );
    expect(Role).toMatchObject({
      RoleName: 'deployer-b',
      Path: '/',
      Arn: 'arn:aws:iam::444444444444:role/deployer-b',
      RoleId: expect.stringMatching(/^AROA/),
      MaxSessionDuration: 7200,
    });
    // IAM sends policy documents URL-encoded.
    expect(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? '')).toBe(document);
    await team.send(
      new CreateRoleCommand({ RoleName: 'deployer-a', AssumeRolePolicyDocument: document, Path: '/release/' }),
    );
    await expect(
      team.send(new CreateRoleCommand({ RoleName: 'DEPLOYER-A', AssumeRolePolicyDocument: document })),
    ).rejects.toMatchObject({
      name: 'EntityAlreadyExistsException',
      message: 'Role with name DEPLOYER-A already exists.',
    });
    await expect(
      team.send(new CreateRoleCommand({ RoleName: 'broken', AssumeRolePolicyDocument: '{not json' })),
    ).rejects.toMatchObject({ name: 'MalformedPolicyDocumentException' });

    const first = await team.send(new ListRolesCommand({ MaxItems: 1 }));
    expect(first.Roles?.map((r) => r.Arn)).toEqual(['arn:aws:iam::444444444444:role/release/deployer-a']);
    expect(first.IsTruncated).toBe(true);
    const second = await team.send(new ListRolesCommand({ MaxItems: 1, Marker: first.Marker }));
    expect(second.Roles?.map((r) => r.RoleName)).toEqual(['deployer-b']);
    expect(second.IsTruncated).toBe(false);
    expect((await iam('test').send(new ListRolesCommand({}))).Roles).toEqual([]);

    await team.send(new DeleteRoleCommand({ RoleName: 'deployer-b' }));
    await expect(team.send(new GetRoleCommand({ RoleName: 'deployer-b' }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The role with name deployer-b cannot be found.',
      $metadata: expect.objectContaining({ httpStatusCode: 404 }),
    });
  });

  it('lets a role created through IAM be assumed at once', async () => {
    await iam('555555555555').send(
      new CreateRoleCommand({
        RoleName: 'open-to-111',
        AssumeRolePolicyDocument: trustPolicy({ trustedPrincipals: ['arn:aws:iam::111111111111:root'] }),
      }),
    );
    const answer = await assume(
      { RoleArn: 'arn:aws:iam::555555555555:role/open-to-111', RoleSessionName: 'ci' },
      '111111111111',
    );
    expect(answer.AssumedRoleUser?.Arn).toBe('arn:aws:sts::555555555555:assumed-role/open-to-111/ci');
  });
});

describeWithAwsCli('STS through the AWS CLI v2', () => {
  it('answers get-caller-identity for a plain key and for assumed-role credentials', async () => {
    const plain = await awsJson<{ Account: string; Arn: string }>(sandbox.endpoint, ['sts', 'get-caller-identity'], {
      AWS_ACCESS_KEY_ID: '222222222222',
    });
    expect(plain).toMatchObject({ Account: '222222222222', Arn: 'arn:aws:iam::222222222222:root' });
    const assumed = await awsJson<{ Credentials: Record<string, string> }>(sandbox.endpoint, [
      'sts',
      'assume-role',
      '--role-arn',
      ROLE,
      '--role-session-name',
      'cli',
      '--external-id',
      'sandbox-release',
    ]);
    const identity = await awsJson<{ Account: string; Arn: string }>(sandbox.endpoint, ['sts', 'get-caller-identity'], {
      AWS_ACCESS_KEY_ID: assumed.Credentials.AccessKeyId ?? '',
      AWS_SECRET_ACCESS_KEY: assumed.Credentials.SecretAccessKey ?? '',
      AWS_SESSION_TOKEN: assumed.Credentials.SessionToken ?? '',
    });
    expect(identity).toMatchObject({
      Account: '222222222222',
      Arn: 'arn:aws:sts::222222222222:assumed-role/release-deployer/cli',
    });
  });
});
