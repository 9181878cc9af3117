import {
  DescribeParametersCommand,
  type DescribeParametersCommandInput,
  type ParameterMetadata,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Sandbox, startSandbox } from '../../../sandbox/index.ts';
import { sdkConfig } from '../support/clients.ts';

// SSM DescribeParameters through the SDK v3 client against a started sandbox:
// metadata without values, its filters, paging and AWS's refusals.

let sandbox: Sandbox;
let ssm: SSMClient;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, slackPort: 0, quiet: true, services: [] });
  ssm = new SSMClient(sdkConfig(sandbox.endpoint));
  for (const [Name, Type] of [
    ['/app/a', 'String'],
    ['/app/b', 'SecureString'],
    ['/app/deep/c', 'StringList'],
    ['/other/x', 'String'],
  ] as const) {
    await ssm.send(new PutParameterCommand({ Name, Value: `value of ${Name}`, Type, Description: `about ${Name}` }));
  }
});

afterAll(async () => {
  ssm?.destroy();
  await sandbox?.stop();
});

const describeAll = async (input: DescribeParametersCommandInput): Promise<ParameterMetadata[]> => {
  const found: ParameterMetadata[] = [];
  let NextToken: string | undefined;
  do {
    const result = await ssm.send(new DescribeParametersCommand({ ...input, NextToken }));
    found.push(...(result.Parameters ?? []));
    NextToken = result.NextToken;
  } while (NextToken);
  return found;
};
const names = async (input: DescribeParametersCommandInput) => (await describeAll(input)).map((p) => p.Name);

describe('DescribeParameters', () => {
  it('pages through every parameter, by name, with metadata and never a value', async () => {
    const first = await ssm.send(new DescribeParametersCommand({ MaxResults: 2 }));
    expect(first.Parameters).toHaveLength(2);
    expect(first.NextToken).toEqual(expect.any(String));
    const all = await describeAll({ MaxResults: 2 });
    expect(all.map((p) => p.Name)).toEqual(
      expect.arrayContaining([
        '/app/a',
        '/app/b',
        '/app/deep/c',
        '/other/x',
        sandbox.environment.SLACK_TOKEN_PARAMETER,
      ]),
    );
    expect(all.map((p) => p.Name)).toEqual([...all.map((p) => p.Name ?? '')].sort());
    const b = all.find((p) => p.Name === '/app/b');
    expect(b).toMatchObject({
      Name: '/app/b',
      ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/app/b',
      Type: 'SecureString',
      Version: 1,
      Tier: 'Standard',
      Description: 'about /app/b',
      DataType: 'text',
    });
    expect(b?.LastModifiedDate).toBeInstanceOf(Date);
    expect(JSON.stringify(all)).not.toContain('value of');
  });

  it('filters by Path (one level or recursive), Type, and Name (Equals, BeginsWith)', async () => {
    expect(await names({ ParameterFilters: [{ Key: 'Path', Values: ['/app'] }] })).toEqual(['/app/a', '/app/b']);
    expect(await names({ ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/app'] }] })).toEqual([
      '/app/a',
      '/app/b',
      '/app/deep/c',
    ]);
    expect(
      await names({
        ParameterFilters: [
          { Key: 'Path', Option: 'Recursive', Values: ['/app'] },
          { Key: 'Type', Values: ['String', 'StringList'] },
        ],
      }),
    ).toEqual(['/app/a', '/app/deep/c']);
    expect(await names({ ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['/app/d'] }] })).toEqual([
      '/app/deep/c',
    ]);
    expect(await names({ ParameterFilters: [{ Key: 'Name', Values: ['/other/x'] }] })).toEqual(['/other/x']);
    expect(await names({ Filters: [{ Key: 'Name', Values: ['/app/a'] }] })).toEqual(['/app/a']);
  });

  it.each([
    ['MaxResults over 50', { MaxResults: 51 }, 'ValidationException'],
    ['MaxResults of 0', { MaxResults: 0 }, 'ValidationException'],
    [
      'Filters with ParameterFilters',
      { Filters: [{ Key: 'Name', Values: ['/a'] }], ParameterFilters: [{ Key: 'Name', Values: ['/a'] }] },
      'ValidationException',
    ],
    ['an unknown filter key', { ParameterFilters: [{ Key: 'Colour', Values: ['red'] }] }, 'InvalidFilterKey'],
    [
      'an option the key does not have',
      { ParameterFilters: [{ Key: 'Path', Option: 'Equals', Values: ['/app'] }] },
      'InvalidFilterOption',
    ],
    ['an unknown type', { ParameterFilters: [{ Key: 'Type', Values: ['Secret'] }] }, 'InvalidFilterValue'],
    [
      'a path without its leading slash',
      { ParameterFilters: [{ Key: 'Path', Values: ['app'] }] },
      'InvalidFilterValue',
    ],
    ['a NextToken it did not issue', { NextToken: 'not-a-token' }, 'InvalidNextToken'],
  ] as const)('refuses %s', async (_case, input, name) => {
    await expect(
      ssm.send(new DescribeParametersCommand(input as DescribeParametersCommandInput)),
    ).rejects.toMatchObject({
      name,
      $metadata: { httpStatusCode: 400 },
    });
  });
});
