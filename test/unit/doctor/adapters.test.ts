import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  createCloudFormationOutputs,
  createEcrRepositories,
  createElbv2Resources,
  createIamRoles,
  createSsmParameterNames,
} from '../../../src/doctor/wiring.ts';

// The doctor's adapters: AWS's "not found" errors are answers (false,
// undefined), anything else is the check's failure; SSM is read by name,
// every page, never a value.

const notFound = (name: string) => Object.assign(new Error(name), { name });
const ssm = mockClient(SSMClient);
const ecr = mockClient(ECRClient);
const elb = mockClient(ElasticLoadBalancingV2Client);
const iam = mockClient(IAMClient);
const cloudFormation = mockClient(CloudFormationClient);
afterEach(() => {
  for (const mock of [ssm, ecr, elb, iam, cloudFormation]) mock.reset();
});

describe('the doctor adapters', () => {
  it('SSM: names that exist, over pages and 50 names a filter, by DescribeParameters only', async () => {
    const names = Array.from({ length: 60 }, (_, index) => `/p/${index}`);
    ssm.on(DescribeParametersCommand).callsFake(({ ParameterFilters, NextToken }) => {
      const values: string[] = ParameterFilters[0].Values;
      const half = NextToken === undefined ? values.slice(0, 1) : values.slice(1, 2);
      return { Parameters: half.map((Name) => ({ Name })), ...(NextToken === undefined ? { NextToken: 't' } : {}) };
    });
    const found = await createSsmParameterNames(new SSMClient({})).existing(names);
    expect([...found].sort()).toEqual(['/p/0', '/p/1', '/p/50', '/p/51']);
    expect(ssm.commandCalls(DescribeParametersCommand)).toHaveLength(4);
  });

  it('ECR: a missing repository is undefined; scan on push is read', async () => {
    ecr
      .on(DescribeRepositoriesCommand, { repositoryNames: ['team/web'] })
      .resolves({ repositories: [{ imageScanningConfiguration: { scanOnPush: true } }] })
      .on(DescribeRepositoriesCommand, { repositoryNames: ['team/none'] })
      .rejects(notFound('RepositoryNotFoundException'));
    const repositories = createEcrRepositories(new ECRClient({}));
    expect(await repositories.describe('team/web')).toEqual({ scanOnPush: true });
    expect(await repositories.describe('team/none')).toBeUndefined();
  });

  it('ELBv2 and IAM: missing is false, access denied is an error', async () => {
    elb.on(DescribeTargetGroupsCommand).rejects(notFound('TargetGroupNotFoundException'));
    elb.on(DescribeRulesCommand).rejects(notFound('AccessDenied'));
    const resources = createElbv2Resources(new ElasticLoadBalancingV2Client({}));
    expect(await resources.targetGroupExists('arn:tg')).toBe(false);
    await expect(resources.listenerRuleExists('arn:rule')).rejects.toThrow('AccessDenied');
    iam.on(GetRoleCommand, { RoleName: 'ecsInfra' }).rejects(notFound('NoSuchEntityException'));
    expect(await createIamRoles(new IAMClient({})).roleExists('arn:aws:iam::1:role/path/ecsInfra')).toBe(false);
  });

  it('CloudFormation: the stack’s outputs by key', async () => {
    cloudFormation.on(DescribeStacksCommand, { StackName: 'release-automation-prod' }).resolves({
      Stacks: [
        {
          StackName: 'release-automation-prod',
          CreationTime: new Date(),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: [
            { OutputKey: 'SlackCommandUrl', OutputValue: 'https://a.lambda-url.eu-west-1.on.aws/' },
            { OutputKey: 'ReleasesTableName', OutputValue: 'release-automation-prod-releases' },
          ],
        },
      ],
    });
    const outputs = await createCloudFormationOutputs(
      new CloudFormationClient({}),
      'release-automation-prod',
    ).outputs();
    expect(outputs).toEqual({
      SlackCommandUrl: 'https://a.lambda-url.eu-west-1.on.aws/',
      ReleasesTableName: 'release-automation-prod-releases',
    });
  });
});
