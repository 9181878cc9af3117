import { describe, expect, it } from '@jest/globals';
import { functionEnvironment } from '../../sandbox/lambda/environment.ts';
import { lambdaFunctions } from '../../sandbox/lambda/functions.ts';
import { LambdaInvocationError, LambdaInvoker } from '../../sandbox/lambda/invoker.ts';
import type { ServerlessConfig } from '../../sandbox/serverless-config.ts';

// How the sandbox runs a function: Lambda's JSON boundary, timeout and error
// payload, and the environment serverless.yml gives it.

const location = { accountId: '000000000000', region: 'us-east-1' };
const endpoints = {
  awsEndpoint: 'http://127.0.0.1:1',
  region: 'us-east-1',
  accountId: '000000000000',
  slackApiUrl: 'http://127.0.0.1:2/api/',
};

const config = (
  functions: ServerlessConfig['functions'],
  environment: Record<string, unknown> = {},
): ServerlessConfig => ({
  service: 'svc',
  provider: { stage: 'dev', timeout: 30, memorySize: 256, environment },
  functions,
  stepFunctions: { stateMachines: {} },
  resources: { Resources: {} },
});

describe('invoking a function', () => {
  it('passes copies across a JSON boundary, as Lambda does', async () => {
    const event = { at: 'x', nested: { n: 1 } };
    const invoker = new LambdaInvoker({
      functions: lambdaFunctions(config({ echo: { handler: 'functions/echo/handler.handler' } }), location),
      handlers: {
        echo: async (received) => {
          (received as { nested: { n: number } }).nested.n = 2;
          return { when: new Date('2026-11-21T10:00:00Z'), nothing: undefined };
        },
      },
    });
    expect(await invoker.invoke('echo', event)).toEqual({ when: '2026-11-21T10:00:00.000Z' });
    expect(event.nested.n).toBe(1);
  });

  it("enforces the function's timeout as Sandbox.Timedout", async () => {
    const invoker = new LambdaInvoker({
      functions: lambdaFunctions(
        config({ slow: { handler: 'functions/slow/handler.handler', timeout: 0.05 } }),
        location,
      ),
      handlers: { slow: () => new Promise((resolve) => setTimeout(resolve, 1000)) },
    });
    const failure = await invoker.invoke('slow', {}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LambdaInvocationError);
    expect(failure).toMatchObject({ name: 'Sandbox.Timedout' });
    expect((failure as LambdaInvocationError).payload.errorMessage).toMatch(/Task timed out after 0\.05 seconds$/);
  });

  it('reports errors by name with the Lambda payload, and a missing handler as Runtime.ImportModuleError', async () => {
    const invoker = new LambdaInvoker({
      functions: lambdaFunctions(
        config({
          failing: { handler: 'functions/failing/handler.handler' },
          missing: { handler: 'functions/does-not-exist/handler.handler' },
        }),
        location,
      ),
      handlers: {
        failing: () => {
          throw Object.assign(new Error('no such service'), { name: 'UnknownServiceError' });
        },
      },
    });
    const failure = (await invoker.invoke('failing', {}).catch((error: unknown) => error)) as LambdaInvocationError;
    expect(failure.name).toBe('UnknownServiceError');
    expect(JSON.parse(failure.message)).toMatchObject({
      errorType: 'UnknownServiceError',
      errorMessage: 'no such service',
    });
    await expect(invoker.invoke('missing', {})).rejects.toMatchObject({ name: 'Runtime.ImportModuleError' });
    expect(invoker.resolve('arn:aws:lambda:us-east-1:000000000000:function:svc-dev-failing:$LATEST')?.key).toBe(
      'failing',
    );
  });
});

describe("the functions' environment", () => {
  const resources = {
    ReleasesTable: { ref: 'svc-dev-releases', arn: 'arn:aws:dynamodb:us-east-1:000000000000:table/svc-dev-releases' },
  };

  it("resolves serverless.yml's references to the sandbox's resources and points AWS at the sandbox", () => {
    const environment = functionEnvironment(
      config(
        { a: { handler: 'a.handler', environment: { TABLE_ARN: { 'Fn::GetAtt': ['ReleasesTable', 'Arn'] } } } },
        { RELEASES_TABLE: { Ref: 'ReleasesTable' }, ACCOUNT: { Ref: 'AWS::AccountId' }, LEVEL: 'INFO', RETRIES: 3 },
      ),
      resources,
      endpoints,
    );
    expect(environment).toMatchObject({
      RELEASES_TABLE: 'svc-dev-releases',
      ACCOUNT: '000000000000',
      TABLE_ARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/svc-dev-releases',
      LEVEL: 'INFO',
      RETRIES: '3',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
      AWS_REGION: 'us-east-1',
      SLACK_API_URL: 'http://127.0.0.1:2/api/',
    });
  });

  it('fails loudly on what one shared process cannot honour, or cannot resolve', () => {
    const conflicting = config({
      a: { handler: 'a.handler', environment: { MODE: 'fast' } },
      b: { handler: 'b.handler', environment: { MODE: 'slow' } },
    });
    expect(() => functionEnvironment(conflicting, resources, endpoints)).toThrow(/MODE.*one process/);
    const unknown = config({}, { QUEUE: { Ref: 'NoSuchQueue' } });
    expect(() => functionEnvironment(unknown, resources, endpoints)).toThrow(/NoSuchQueue/);
  });
});
