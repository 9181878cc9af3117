import {
  DeleteParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersCommand,
  LabelParameterVersionCommand,
  type ParameterHistory,
  PutParameterCommand,
  SSMClient,
  UnlabelParameterVersionCommand,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type AwsEndpoint, startAwsEndpoint } from '../../../sandbox/aws/server.ts';
import { createSsmEmulator } from '../../../sandbox/ssm/emulator.ts';
import { ParameterStore } from '../../../sandbox/ssm/parameter-store.ts';
import { awsCli, awsJson, describeWithAwsCli } from '../../e2e/support/aws-cli.ts';
import { sdkConfig } from '../support/clients.ts';

// SSM's versions, labels, history and SecureStrings as rotation relies on
// them, through the SDK v3 client and the AWS CLI v2, against the SSM
// emulator alone: AWS's limits (10 labels a version, 100 versions a name, a
// labelled oldest version blocks writes) and its label naming rules.

let endpoint: AwsEndpoint;
let ssm: SSMClient;

beforeAll(async () => {
  endpoint = await startAwsEndpoint({
    port: 0,
    emulators: [createSsmEmulator({ store: new ParameterStore(), region: 'us-east-1', accountId: '000000000000' })],
  });
  ssm = new SSMClient(sdkConfig(endpoint.url));
});

afterAll(async () => {
  ssm?.destroy();
  await endpoint?.close();
});

const put = (Name: string, Value: string) =>
  ssm.send(new PutParameterCommand({ Name, Value, Type: 'SecureString', Overwrite: true }));

async function history(Name: string, WithDecryption = false): Promise<ParameterHistory[]> {
  const all: ParameterHistory[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ssm.send(new GetParameterHistoryCommand({ Name, WithDecryption, MaxResults: 7, NextToken }));
    all.push(...(page.Parameters ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return all;
}

describe('labels', () => {
  it('moves a label to the version it is put on, so one label names one version', async () => {
    const Name = '/labels/move';
    for (const value of ['v1', 'v2', 'v3']) await put(Name, value);
    await ssm.send(new LabelParameterVersionCommand({ Name, ParameterVersion: 1, Labels: ['current'] }));
    await ssm.send(new LabelParameterVersionCommand({ Name, ParameterVersion: 2, Labels: ['current', 'previous'] }));
    const labels = (await history(Name)).map(({ Version, Labels }) => [Version, Labels]);
    expect(labels).toEqual([
      [1, []],
      [2, ['current', 'previous']],
      [3, []],
    ]);
    const current = await ssm.send(new GetParameterCommand({ Name: `${Name}:current`, WithDecryption: true }));
    expect(current.Parameter).toMatchObject({ Value: 'v2', Version: 2, Selector: ':current' });
  });

  it('refuses labels SSM refuses as InvalidLabels and attaches the rest', async () => {
    const Name = '/labels/naming';
    await put(Name, 'v1');
    const bad = ['aws-x', 'SSM_x', '7th', 'has space', 'x'.repeat(101)];
    const result = await ssm.send(new LabelParameterVersionCommand({ Name, Labels: ['ok_1.a-b', ...bad] }));
    expect(result).toMatchObject({ ParameterVersion: 1, InvalidLabels: bad });
    expect((await history(Name))[0]?.Labels).toEqual(['ok_1.a-b']);
  });

  it('allows 10 labels on a version and answers an 11th with ParameterVersionLabelLimitExceeded, changing nothing', async () => {
    const Name = '/labels/limit';
    await put(Name, 'v1');
    await put(Name, 'v2');
    const ten = Array.from({ length: 10 }, (_, index) => `l${index}`);
    await ssm.send(new LabelParameterVersionCommand({ Name, ParameterVersion: 1, Labels: ten }));
    await ssm.send(new LabelParameterVersionCommand({ Name, ParameterVersion: 2, Labels: ['eleventh'] }));
    await expect(
      ssm.send(new LabelParameterVersionCommand({ Name, ParameterVersion: 1, Labels: ['eleventh'] })),
    ).rejects.toMatchObject({ name: 'ParameterVersionLabelLimitExceeded' });
    expect((await history(Name)).map((version) => version.Labels)).toEqual([ten, ['eleventh']]);
  });

  it('takes 1 to 10 labels a call, and answers an unknown version or name with their errors', async () => {
    const Name = '/labels/input';
    await put(Name, 'v1');
    const eleven = Array.from({ length: 11 }, (_, index) => `l${index}`);
    await expect(ssm.send(new LabelParameterVersionCommand({ Name, Labels: eleven }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(
      ssm.send(new LabelParameterVersionCommand({ Name, ParameterVersion: 9, Labels: ['a'] })),
    ).rejects.toMatchObject({ name: 'ParameterVersionNotFound' });
    await expect(
      ssm.send(new LabelParameterVersionCommand({ Name: '/labels/none', Labels: ['a'] })),
    ).rejects.toMatchObject({ name: 'ParameterNotFound' });
    await expect(ssm.send(new GetParameterCommand({ Name: `${Name}:nolabel` }))).rejects.toMatchObject({
      name: 'ParameterVersionNotFound',
    });
  });

  it('unlabels what the version has and lists the rest as invalid', async () => {
    const Name = '/labels/unlabel';
    await put(Name, 'v1');
    await ssm.send(new LabelParameterVersionCommand({ Name, Labels: ['current', 'keep'] }));
    const result = await ssm.send(
      new UnlabelParameterVersionCommand({ Name, ParameterVersion: 1, Labels: ['current', 'never'] }),
    );
    expect(result).toMatchObject({ RemovedLabels: ['current'], InvalidLabels: ['never'] });
    expect((await history(Name))[0]?.Labels).toEqual(['keep']);
  });
});

describe('the 100-version limit', () => {
  it('drops the oldest version at the 101st write, and refuses it while the oldest has a label', async () => {
    const Name = '/versions/hundred';
    for (let i = 1; i <= 100; i++) await put(Name, `v${i}`);
    await ssm.send(new LabelParameterVersionCommand({ Name, ParameterVersion: 2, Labels: ['pinned'] }));
    expect((await put(Name, 'v101')).Version).toBe(101);
    let versions = await history(Name);
    expect(versions).toHaveLength(100);
    expect(versions[0]).toMatchObject({ Version: 2, Labels: ['pinned'] });
    await expect(ssm.send(new GetParameterCommand({ Name: `${Name}:1` }))).rejects.toMatchObject({
      name: 'ParameterVersionNotFound',
    });

    const refused = put(Name, 'v102');
    await expect(refused).rejects.toMatchObject({ name: 'ParameterMaxVersionLimitExceeded' });
    await expect(refused).rejects.toThrow(/Version 2, the oldest version, can't be deleted because it has a label/);
    versions = await history(Name);
    expect(versions.map((version) => version.Version)).toEqual(Array.from({ length: 100 }, (_, i) => i + 2));

    await ssm.send(new LabelParameterVersionCommand({ Name, ParameterVersion: 101, Labels: ['pinned'] }));
    expect((await put(Name, 'v102')).Version).toBe(102);
  });
});

describe('history and SecureStrings', () => {
  it('pages the history oldest first and shows SecureString values only with decryption', async () => {
    const Name = '/history/secure';
    for (let i = 1; i <= 9; i++) await put(Name, `secret-${i}`);
    const plain = await history(Name);
    expect(plain.map((version) => version.Version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const version of plain) {
      expect(version.Value).not.toContain('secret-');
      expect(version).toMatchObject({
        Type: 'SecureString',
        KeyId: 'alias/aws/ssm',
        LastModifiedUser: expect.any(String),
      });
    }
    expect(plain[0]?.Value).not.toBe(plain[1]?.Value);
    expect((await history(Name, true)).map((version) => version.Value)).toEqual(
      Array.from({ length: 9 }, (_, i) => `secret-${i + 1}`),
    );
    await expect(ssm.send(new GetParameterHistoryCommand({ Name, MaxResults: 51 }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('reads versions and labels by selector in GetParameters, and deletes every version', async () => {
    const Name = '/history/selectors';
    await put(Name, 'a');
    await put(Name, 'b');
    await ssm.send(new LabelParameterVersionCommand({ Name, ParameterVersion: 1, Labels: ['previous'] }));
    const read = await ssm.send(
      new GetParametersCommand({ Names: [`${Name}:previous`, `${Name}:2`, `${Name}:3`], WithDecryption: true }),
    );
    expect(read.Parameters?.map(({ Value, Selector }) => [Value, Selector])).toEqual([
      ['a', ':previous'],
      ['b', ':2'],
    ]);
    expect(read.InvalidParameters).toEqual([`${Name}:3`]);
    const deleted = await ssm.send(new DeleteParametersCommand({ Names: [Name, '/history/none'] }));
    expect(deleted).toMatchObject({ DeletedParameters: [Name], InvalidParameters: ['/history/none'] });
    await expect(ssm.send(new GetParameterHistoryCommand({ Name }))).rejects.toMatchObject({
      name: 'ParameterNotFound',
    });
  });
});

describeWithAwsCli('versions and labels through the AWS CLI v2', () => {
  it('labels a version, reads it by label and lists the history without values', async () => {
    const Name = '/cli/rotated';
    await put(Name, 'first');
    await put(Name, 'second');
    const labelled = await awsJson<{ ParameterVersion: number; InvalidLabels: string[] }>(endpoint.url, [
      'ssm',
      'label-parameter-version',
      '--name',
      Name,
      '--parameter-version',
      '1',
      '--labels',
      'previous',
      'aws-bad',
    ]);
    expect(labelled).toEqual({ ParameterVersion: 1, InvalidLabels: ['aws-bad'] });
    const byLabel = await awsJson<{ Parameter: { Value: string; Selector: string } }>(endpoint.url, [
      'ssm',
      'get-parameter',
      '--name',
      `${Name}:previous`,
      '--with-decryption',
    ]);
    expect(byLabel.Parameter).toMatchObject({ Value: 'first', Selector: ':previous' });
    const listed = await awsJson<{ Parameters: { Version: number; Labels: string[]; Value: string }[] }>(endpoint.url, [
      'ssm',
      'get-parameter-history',
      '--name',
      Name,
    ]);
    expect(listed.Parameters.map(({ Version, Labels }) => [Version, Labels])).toEqual([
      [1, ['previous']],
      [2, []],
    ]);
    expect(listed.Parameters.map((version) => version.Value)).not.toContain('first');
    const missing = await awsCli(endpoint.url, ['ssm', 'get-parameter', '--name', `${Name}:7`]);
    expect(missing.stderr).toContain('(ParameterVersionNotFound) when calling the GetParameter operation');
  });
});
