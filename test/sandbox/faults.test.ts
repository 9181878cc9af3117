import { execFile } from 'node:child_process';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { AwsApiError, type AwsServiceEmulator } from '../../sandbox/aws/service.ts';
import { FaultInjector } from '../../sandbox/faults/injector.ts';
import { parseFaultSpec } from '../../sandbox/faults/rules.ts';
import { type Sandbox, startSandbox } from '../../sandbox/index.ts';
import { sdkConfig } from './support/clients.ts';

// Fault injection: every emulated service meets throttling, 5xx, latency and
// lost answers per operation at a rate, set at start, in code or over HTTP.

/** A seeded generator (mulberry32), so a rate's draws are the same every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('fault specs on the command line', () => {
  it('reads kind, latency, rate, service and operation', () => {
    expect(parseFaultSpec('throttle@0.3')).toEqual({ service: '*', operation: '*', fault: 'throttle', rate: 0.3 });
    expect(parseFaultSpec('lost@0.5:ecs.RegisterTaskDefinition')).toEqual({
      service: 'ecs',
      operation: 'RegisterTaskDefinition',
      fault: 'lost',
      rate: 0.5,
    });
    expect(parseFaultSpec('latency=200ms@1:DynamoDB')).toMatchObject({ service: 'dynamodb', latencyMs: 200 });
    expect(parseFaultSpec('5xx@0.1:stepfunctions')).toMatchObject({ service: 'states', fault: '5xx' });
  });

  it('reads a named AWS error and a number of times', () => {
    expect(parseFaultSpec('error=ClientException@1:ecs.RegisterTaskDefinition')).toEqual({
      service: 'ecs',
      operation: 'RegisterTaskDefinition',
      fault: 'error',
      errorCode: 'ClientException',
      rate: 1,
    });
    expect(parseFaultSpec('throttle@1:ecs.DescribeServices#2')).toMatchObject({ fault: 'throttle', times: 2 });
  });

  it.each([
    ['throttle', /is not a fault/],
    ['throttle@1.5', /rate/],
    ['throttle@0', /rate/],
    ['explode@0.5', /fault/],
    ['latency@1', /latencyMs/],
    ['throttle@0.5:ecs.updateService', /operation/],
    ['error@1:ecs', /errorCode/],
    ['throttle=ClientException@1', /errorCode/],
    ['throttle@1#0', /times/],
  ])('refuses %s with the reason', (spec, reason) => {
    expect(() => parseFaultSpec(spec)).toThrow(reason);
  });

  it('npm start refuses a bad --fault before starting anything (exit 2, the grammar shown)', async () => {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, ['sandbox/main.ts', '--fault', 'throttle@2'], (error, _stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr }),
      );
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/rate/);
    expect(stderr).toMatch(/throttle \| 5xx \| lost/);
  });
});

describe('a sandbox with fault rules', () => {
  let sandbox: Sandbox;
  let ssm: SSMClient;
  let dynamodb: DynamoDBClient;

  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      slackPort: 0,
      quiet: true,
      services: [],
      faultRandom: seeded(7),
      faults: [{ service: 'ssm', operation: 'DeleteParameter', fault: 'throttle' }],
    });
    ssm = new SSMClient(sdkConfig(sandbox.endpoint));
    dynamodb = new DynamoDBClient(sdkConfig(sandbox.endpoint));
  });

  afterEach(() => {
    sandbox.faults.clear();
    sandbox.faults.resetCounts();
  });

  afterAll(async () => {
    ssm?.destroy();
    dynamodb?.destroy();
    await sandbox?.stop();
  });

  it('applies the rules given at start, once it is set up', () => {
    expect(sandbox.faults.rules()).toEqual([
      { service: 'ssm', operation: 'DeleteParameter', fault: 'throttle', rate: 1 },
    ]);
  });

  it("throttles with the service's own error, only where the rule points", async () => {
    sandbox.faults.add({ service: 'ssm', operation: 'GetParameter', fault: 'throttle' });
    const Name = sandbox.environment.SLACK_TOKEN_PARAMETER;
    await expect(ssm.send(new GetParameterCommand({ Name }))).rejects.toMatchObject({
      name: 'ThrottlingException',
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(dynamodb.send(new ListTablesCommand({}))).resolves.toBeDefined();
    expect(sandbox.faults.counts()).toEqual({
      byKind: { throttle: 1, '5xx': 0, latency: 0, lost: 0, error: 0, drop: 0, delay: 0, duplicate: 0 },
      byOperation: { 'ssm.GetParameter': { throttle: 1 } },
    });
  });

  it('answers 5xx in DynamoDB too, and the SDK retries them', async () => {
    sandbox.faults.add({ service: 'dynamodb', fault: '5xx' });
    await expect(dynamodb.send(new ListTablesCommand({}))).rejects.toMatchObject({
      name: 'InternalServerError',
      $metadata: { httpStatusCode: 500 },
    });
    const retrying = new DynamoDBClient({ ...sdkConfig(sandbox.endpoint), maxAttempts: 3 });
    await expect(retrying.send(new ListTablesCommand({}))).rejects.toMatchObject({
      $metadata: { attempts: 3 },
    });
    retrying.destroy();
  });

  it('loses the answer of an operation that took effect: the retry finds its own write', async () => {
    sandbox.faults.add({ service: 'ssm', operation: 'PutParameter', fault: 'lost' });
    const Name = '/faults/lost';
    await expect(ssm.send(new PutParameterCommand({ Name, Value: 'v1', Type: 'String' }))).rejects.toThrow();
    sandbox.faults.clear();
    const stored = await ssm.send(new GetParameterCommand({ Name }));
    expect(stored.Parameter).toMatchObject({ Value: 'v1', Version: 1 });
    // What a naive retry meets in AWS after a lost answer.
    await expect(ssm.send(new PutParameterCommand({ Name, Value: 'v1', Type: 'String' }))).rejects.toMatchObject({
      name: 'ParameterAlreadyExists',
    });
    expect(sandbox.faults.counts().byKind.lost).toBe(1);
  });

  it('adds latency before the answer', async () => {
    sandbox.faults.add({ service: 'dynamodb', operation: 'ListTables', fault: 'latency', latencyMs: 300 });
    const started = performance.now();
    await dynamodb.send(new ListTablesCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(sandbox.faults.counts().byKind.latency).toBe(1);
  });

  it('injects at the rule rate: with 30% throttling some calls fail, each one counted', async () => {
    sandbox.faults.add({ service: 'dynamodb', fault: 'throttle', rate: 0.3 });
    let failed = 0;
    for (let call = 0; call < 100; call += 1) {
      await dynamodb.send(new ListTablesCommand({})).catch((error: unknown) => {
        expect(error).toMatchObject({ name: 'ProvisionedThroughputExceededException' });
        failed += 1;
      });
    }
    expect(failed).toBe(sandbox.faults.counts().byKind.throttle);
    expect(failed).toBeGreaterThan(10);
    expect(failed).toBeLessThan(60);
  });

  it('is set over HTTP like a chaos API: POST adds, GET lists, DELETE clears; a bad rule changes nothing', async () => {
    const url = `${sandbox.endpoint}/_sandbox/faults`;
    const post = await fetch(url, {
      method: 'POST',
      body: JSON.stringify([{ service: 'ssm', operation: 'GetParameter', fault: '5xx', rate: 1 }]),
    });
    expect(post.status).toBe(200);
    await expect(ssm.send(new GetParameterCommand({ Name: '/x' }))).rejects.toMatchObject({
      name: 'InternalServerError',
    });

    const bad = await fetch(url, { method: 'PUT', body: JSON.stringify([{ fault: 'throttle', rate: 2 }]) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/rate/);
    const listed = (await (await fetch(url)).json()) as { faults: unknown[]; injected: { byKind: object } };
    expect(listed.faults).toEqual([{ service: 'ssm', operation: 'GetParameter', fault: '5xx', rate: 1 }]);
    expect(listed.injected.byKind).toMatchObject({ '5xx': 1 });

    expect((await fetch(url, { method: 'DELETE' })).status).toBe(200);
    expect(sandbox.faults.rules()).toEqual([]);
    expect((await fetch(url, { method: 'POST', body: 'not json' })).status).toBe(400);
  });
});

describe('the injector alone', () => {
  it('refuses an invalid rule whole: nothing is added', () => {
    const injector = new FaultInjector();
    expect(() => injector.add({ fault: 'throttle' }, { fault: 'latency' })).toThrow(/latencyMs/);
    expect(injector.rules()).toEqual([]);
  });

  // An emulator that records what reached it.
  const reached: string[] = [];
  const ecs: AwsServiceEmulator = {
    targetPrefix: 'AmazonEC2ContainerServiceV20141113',
    signingName: 'ecs',
    handle: async (operation) => {
      reached.push(operation);
      return {};
    },
  };
  const outcome = (call: Promise<unknown>) =>
    call.then(
      () => 'answered',
      (error: unknown) => (error instanceof AwsApiError ? `${error.code} ${error.statusCode}` : String(error)),
    );

  it("answers AWS's error of the name a rule gives, without running the operation", async () => {
    reached.length = 0;
    const injector = new FaultInjector();
    injector.add({
      service: 'ecs',
      operation: 'StopServiceDeployment',
      fault: 'error',
      errorCode: 'ConflictException',
    });
    const wrapped = injector.wrap(ecs);
    expect(await outcome(wrapped.handle('StopServiceDeployment', {}))).toBe('ConflictException 400');
    expect(await outcome(wrapped.handle('StopServiceDeployment', {}))).toBe('ConflictException 400');
    expect(await outcome(wrapped.handle('UpdateService', {}))).toBe('answered');
    expect(reached).toEqual(['UpdateService']);
    expect(injector.counts().byOperation).toEqual({ 'ecs.StopServiceDeployment': { error: 2 } });
  });

  it('applies a rule with `times` to the first requests it matches only', async () => {
    reached.length = 0;
    const injector = new FaultInjector();
    injector.add({ service: 'ecs', operation: 'DescribeServices', fault: 'throttle', times: 2 });
    const wrapped = injector.wrap(ecs);
    const outcomes = [];
    for (let call = 0; call < 4; call++) outcomes.push(await outcome(wrapped.handle('DescribeServices', {})));
    expect(outcomes).toEqual(['ThrottlingException 400', 'ThrottlingException 400', 'answered', 'answered']);
    expect(reached).toEqual(['DescribeServices', 'DescribeServices']);
  });
});
