import { expect, it } from '@jest/globals';
import { awsCli, awsJson, describeWithAwsCli } from './support/aws-cli.ts';
import { useReleaseSandbox } from './support/e2e.ts';

// The operations a user (or a dashboard) calls with the AWS CLI v2 rather than
// the release's own clients, against a full sandbox: CloudWatch over the Query
// protocol, SSM and EventBridge over JSON, each answered in AWS's shape.

const rs = useReleaseSandbox();
// `aws cloudwatch get-metric-statistics` of the load balancers' RequestCount, with the test's own arguments.
const requestCountStatistics = (...args: string[]) => [
  'cloudwatch',
  'get-metric-statistics',
  '--namespace',
  'AWS/ApplicationELB',
  '--metric-name',
  'RequestCount',
  ...args,
];

describeWithAwsCli('aws cloudwatch', () => {
  it("get-metric-statistics sums the demo load balancer's requests per minute", async () => {
    for (let i = 0; i < 3; i++) expect((await fetch(rs.lbUrl())).status).toBe(200);
    const LoadBalancer = rs.world.loadBalancer('web')?.dimensions.LoadBalancer;
    expect(LoadBalancer).toMatch(/^app\/sandbox-web\//);
    const now = Date.now();
    const result = await awsJson<{ Label: string; Datapoints: { Timestamp: string; Sum: number; Unit: string }[] }>(
      rs.sandbox.endpoint,
      requestCountStatistics(
        '--dimensions',
        `Name=LoadBalancer,Value=${LoadBalancer}`,
        '--start-time',
        new Date(now - 10 * 60_000).toISOString(),
        '--end-time',
        new Date(now + 60_000).toISOString(),
        '--period',
        '60',
        '--statistics',
        'Sum',
      ),
    );
    expect(result.Label).toBe('RequestCount');
    expect(result.Datapoints.length).toBeGreaterThan(0);
    for (const point of result.Datapoints) {
      expect(point).toEqual({ Timestamp: expect.any(String), Sum: expect.any(Number), Unit: expect.any(String) });
      expect(new Date(point.Timestamp).getTime() % 60_000).toBe(0);
    }
    expect(result.Datapoints.reduce((sum, point) => sum + point.Sum, 0)).toBeGreaterThanOrEqual(3);
  });

  it('get-metric-statistics refuses a period CloudWatch refuses, with its Query error code', async () => {
    const refused = await awsCli(
      rs.sandbox.endpoint,
      requestCountStatistics(
        '--start-time',
        new Date(Date.now() - 60_000).toISOString(),
        '--end-time',
        new Date().toISOString(),
        '--period',
        '61',
        '--statistics',
        'Sum',
      ),
    );
    expect(refused.code).toBe(254);
    expect(refused.stderr).toContain(
      'An error occurred (InvalidParameterValue) when calling the GetMetricStatistics operation: The parameter Period must be a multiple of 60.',
    );
  });

  it('describe-alarms answers the template’s alarms in ALARM (web/production, opted in, never released yet), no composite', async () => {
    const result = await awsJson<{
      MetricAlarms: { AlarmName: string; StateValue: string }[];
      CompositeAlarms: unknown[];
    }>(rs.sandbox.endpoint, ['cloudwatch', 'describe-alarms', '--state-value', 'ALARM']);
    expect(result.CompositeAlarms).toEqual([]);
    expect(result.MetricAlarms.map(({ AlarmName, StateValue }) => [AlarmName, StateValue])).toEqual([
      ['release-automation-dev-no-release-web-production', 'ALARM'],
    ]);
  });
});

describeWithAwsCli('aws ssm', () => {
  it('describe-parameters lists the seeded Slack token parameter, without its value', async () => {
    const name = rs.sandbox.environment.SLACK_TOKEN_PARAMETER;
    const result = await awsJson<{ Parameters: Record<string, unknown>[] }>(rs.sandbox.endpoint, [
      'ssm',
      'describe-parameters',
      '--parameter-filters',
      `Key=Name,Values=${name}`,
    ]);
    // CLI 2.9's model of ParameterMetadata predates its ARN member, so the CLI drops it.
    expect(result.Parameters).toEqual([
      {
        Name: name,
        Type: 'SecureString',
        KeyId: 'alias/aws/ssm',
        LastModifiedDate: expect.any(String),
        LastModifiedUser: 'arn:aws:iam::000000000000:user/sandbox',
        Version: 1,
        Tier: 'Standard',
        Policies: [],
        DataType: 'text',
      },
    ]);
    expect(JSON.stringify(result)).not.toContain(rs.sandbox.slack.token);
  });
});

describeWithAwsCli('aws events', () => {
  it("list-targets-by-rule lists the release rule's state machine", async () => {
    const release = rs.sandbox.stateMachines.byKey('release');
    const result = await awsJson<{ Targets: { Id: string; Arn: string }[] }>(rs.sandbox.endpoint, [
      'events',
      'list-targets-by-rule',
      '--rule',
      'release-automation-dev-release-rule-1',
    ]);
    expect(result).toEqual({ Targets: [{ Id: 'releaseCloudWatchEvent', Arn: release?.arn }] });
  });
});
