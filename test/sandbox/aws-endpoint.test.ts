import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type AwsEndpoint, startAwsEndpoint } from '../../sandbox/aws/server.ts';
import { AwsApiError, type AwsServiceEmulator } from '../../sandbox/aws/service.ts';
import { awsCli, describeWithAwsCli } from '../e2e/support/aws-cli.ts';
import { sdkConfig } from './support/clients.ts';

// The endpoint's wire protocols, against recording emulators: JSON 1.0/1.1
// routed by X-Amz-Target, and Query (what the AWS CLI v2 sends CloudWatch)
// routed by the SigV4 scope and decoded/encoded by the SDK's schemas.

interface Call {
  operation: string;
  input: Record<string, unknown>;
}

const calls: Call[] = [];
let answer: (call: Call) => unknown;

const recording = (targetPrefix: string, signingName: string): AwsServiceEmulator => ({
  targetPrefix,
  signingName,
  async handle(operation, input) {
    const call = { operation, input };
    calls.push(call);
    return answer(call);
  },
});

let endpoint: AwsEndpoint;
const logged: string[] = [];

beforeAll(async () => {
  endpoint = await startAwsEndpoint({
    port: 0,
    emulators: [recording('GraniteServiceVersion20100801', 'monitoring'), recording('TestService_20260101', 'test')],
    log: (line) => logged.push(line),
  });
});

afterAll(async () => {
  await endpoint?.close();
});

beforeEach(() => {
  calls.length = 0;
  answer = () => ({});
});

const postJson = (target: string, body: string, contentType = 'application/x-amz-json-1.0') =>
  fetch(endpoint.url, { method: 'POST', headers: { 'x-amz-target': target, 'content-type': contentType }, body });

describe('the AWS endpoint', () => {
  it('routes JSON requests by X-Amz-Target and answers Dates as epoch seconds', async () => {
    answer = () => ({ at: new Date('2026-11-21T10:15:30.250Z'), nested: [{ when: new Date(0) }], gone: undefined });
    const response = await postJson('TestService_20260101.DoThing', '{"a":1}', 'application/x-amz-json-1.1');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toEqual({ at: 1795256130.25, nested: [{ when: 0 }] });
    expect(calls).toEqual([{ operation: 'DoThing', input: { a: 1 } }]);
  });

  it('answers errors in the JSON shape SDKs read: __type, message, x-amzn-errortype, status', async () => {
    answer = () => {
      throw new AwsApiError('ThingNotFound', 'no such thing', 404);
    };
    const response = await postJson('TestService_20260101.GetThing', '{}');
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('ThingNotFound');
    expect(await response.json()).toEqual({ __type: 'ThingNotFound', message: 'no such thing' });
  });

  it('never crashes: unknown services, bad JSON, emulator bugs and stray requests get AWS errors', async () => {
    const unknown = await postJson('NoSuchService_2020.Op', '{}');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ __type: 'UnknownOperationException' });

    const badJson = await postJson('TestService_20260101.Op', '{nope');
    expect(await badJson.json()).toMatchObject({ __type: 'SerializationException' });

    answer = () => {
      throw new TypeError('emulator bug');
    };
    const bug = await postJson('TestService_20260101.Op', '{}');
    expect(bug.status).toBe(500);
    expect(await bug.json()).toMatchObject({ __type: 'InternalFailure' });
    expect(logged.some((line) => line.includes('emulator bug'))).toBe(true);

    const stray = await fetch(`${endpoint.url}/`);
    expect(stray.status).toBe(404);
    expect(await stray.json()).toMatchObject({ __type: 'UnknownOperationException' });

    const unsigned = await fetch(endpoint.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=ListMetrics&Version=2010-08-01',
    });
    expect(unsigned.status).toBe(400);
    expect(await unsigned.text()).toContain('<Code>MissingAuthenticationToken</Code>');
  });
});

describeWithAwsCli('the AWS endpoint, for the Query protocol the AWS CLI v2 sends CloudWatch', () => {
  it('decodes the AWS CLI v2 Query request by the operation schema: numbers, booleans, lists, timestamps', async () => {
    answer = () => ({
      MetricDataResults: [
        {
          Id: 'errors',
          Label: 'HTTPCode_Target_5XX_Count',
          Timestamps: [new Date('2026-11-21T10:01:00Z'), new Date('2026-11-21T10:00:00Z')],
          Values: [3, 0.5],
          StatusCode: 'Complete',
        },
      ],
      Messages: [],
    });
    const queries = [
      {
        Id: 'errors',
        MetricStat: {
          Metric: {
            Namespace: 'AWS/ApplicationELB',
            MetricName: 'HTTPCode_Target_5XX_Count',
            Dimensions: [
              { Name: 'TargetGroup', Value: 'targetgroup/web/1' },
              { Name: 'LoadBalancer', Value: 'app/web/2' },
            ],
          },
          Period: 60,
          Stat: 'Sum',
        },
        ReturnData: true,
      },
    ];
    const result = await awsCli(endpoint.url, [
      'cloudwatch',
      'get-metric-data',
      '--start-time',
      '2026-11-21T10:00:00Z',
      '--end-time',
      '2026-11-21T10:05:00Z',
      '--metric-data-queries',
      JSON.stringify(queries),
    ]);
    expect(result.stderr).toBe('');
    expect(calls).toEqual([
      {
        operation: 'GetMetricData',
        input: { MetricDataQueries: queries, StartTime: 1795255200, EndTime: 1795255500 },
      },
    ]);
    expect(JSON.parse(result.stdout)).toEqual({
      MetricDataResults: [
        {
          Id: 'errors',
          Label: 'HTTPCode_Target_5XX_Count',
          Timestamps: ['2026-11-21T10:01:00+00:00', '2026-11-21T10:00:00+00:00'],
          Values: [3.0, 0.5],
          StatusCode: 'Complete',
        },
      ],
      Messages: [],
    });
  });

  it('answers Query errors in XML, under the Query name of the error', async () => {
    answer = () => {
      throw new AwsApiError('InvalidParameterValueException', 'The parameter Period must be a multiple of 60.');
    };
    const result = await awsCli(endpoint.url, [
      'cloudwatch',
      'put-metric-data',
      '--namespace',
      'Test',
      '--metric-data',
      '[{"MetricName":"Latency","Value":12.5,"Unit":"Milliseconds","Timestamp":"2026-11-21T10:00:00Z"}]',
    ]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('(InvalidParameterValue)');
    expect(result.stderr).toContain('The parameter Period must be a multiple of 60.');
    expect(calls[0]).toEqual({
      operation: 'PutMetricData',
      input: {
        Namespace: 'Test',
        MetricData: [{ MetricName: 'Latency', Value: 12.5, Unit: 'Milliseconds', Timestamp: 1795255200 }],
      },
    });

    const unknownAction = await awsCli(endpoint.url, ['sns', 'list-topics']);
    expect(unknownAction.stderr).toContain('InvalidAction');
  });
});

describe('the AWS endpoint, for the SDK', () => {
  it("serves the SDK's CloudWatch client (JSON 1.0, query-compatible errors)", async () => {
    const cloudwatch = new CloudWatchClient(sdkConfig(endpoint.url));
    answer = () => ({ MetricDataResults: [{ Id: 'a', Timestamps: [new Date('2026-11-21T10:00:00Z')], Values: [1] }] });
    const output = await cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date('2026-11-21T10:00:00Z'),
        EndTime: new Date('2026-11-21T10:05:00Z'),
        MetricDataQueries: [{ Id: 'a', Expression: 'SUM(METRICS())' }],
      }),
    );
    expect(calls[0]?.input).toMatchObject({ StartTime: 1795255200, EndTime: 1795255500 });
    expect(output.MetricDataResults?.[0]?.Timestamps?.[0]).toEqual(new Date('2026-11-21T10:00:00Z'));

    answer = () => {
      throw new AwsApiError('InvalidParameterValueException', 'bad period');
    };
    const failure = cloudwatch.send(
      new GetMetricDataCommand({ StartTime: new Date(0), EndTime: new Date(60_000), MetricDataQueries: [] }),
    );
    await expect(failure).rejects.toMatchObject({ name: 'InvalidParameterValueException', message: 'bad period' });
    cloudwatch.destroy();
  });
});
