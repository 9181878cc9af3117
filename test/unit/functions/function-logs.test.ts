import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { wire as wireClaim } from '../../../functions/claim/handler.ts';
import { wire as wirePlan } from '../../../functions/plan/handler.ts';
import { fakeLambdaContext } from '../../support/fake-lambda-context.ts';

// Each function logs as itself: its own Powertools logger, named after its
// serverless.yml key, with its own Lambda context, also when several run in
// one process at once (the sandbox), where one shared logger mixed them up.

afterEach(() => {
  jest.restoreAllMocks();
  delete process.env.POWERTOOLS_LOG_LEVEL;
});

describe('function logs', () => {
  it('carry the function that wrote them, with its own context, when two run at once', async () => {
    process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
    const lines: string[] = [];
    const capture = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    jest.spyOn(process.stderr, 'write').mockImplementation(capture);
    const wiring = {
      env: {
        RELEASES_TABLE: 'releases',
        LOCKS_TABLE: 'locks',
        AUTOMATION_ACCOUNT: '123456789012',
        AWS_REGION: 'us-east-1',
      },
      aws: { region: 'us-east-1' },
    };
    const plan = wirePlan(wiring);
    const claim = wireClaim(wiring);
    const push = JSON.parse(readFileSync('events/aws.ecr/push-unknown-repository.json', 'utf8')) as unknown;
    await Promise.all([
      plan(push, fakeLambdaContext('release-automation-dev-plan')),
      claim({}, fakeLambdaContext('release-automation-dev-claim')).catch(() => undefined),
    ]);
    jest.restoreAllMocks();
    const logged = lines.flatMap((line) => line.split('\n')).filter((line) => line.startsWith('{'));
    const entries = logged.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toContainEqual(
      expect.objectContaining({
        message: 'nothing to release',
        service: 'plan',
        function_name: 'release-automation-dev-plan',
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        message: 'invocation failed',
        errorName: 'InvalidInputError',
        service: 'claim',
        function_name: 'release-automation-dev-claim',
      }),
    );
  });
});
