import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { beforeAll, describe } from '@jest/globals';

// The AWS CLI v2 in tests: the one system package the test suite uses.
//
// Every test that runs the AWS CLI goes in `describeWithAwsCli(name, fn)`
// instead of `describe`, and calls it through `awsCli`/`awsJson` below:
//
//   describeWithAwsCli('the AWS CLI v2 against the sandbox', () => {
//     it('lists the clusters', async () => {
//       expect(await awsJson(endpoint, ['ecs', 'list-clusters'])).toEqual(...);
//     });
//   });
//
// With the CLI installed the block runs as a plain describe. Without it, on a
// developer's machine (CI unset) the block is skipped and the reason and the
// install command are printed; under CI (any non-empty CI) its tests fail,
// since .ci/run installs the CLI and a silent skip would hide a broken set-up.
// Keep assertions that need no CLI out of these blocks: they must run anyway.

/** Debian's awscli (v2); an older v1 may come first on PATH, so never plain `aws`. */
export const DEFAULT_AWS_CLI = '/usr/bin/aws';
const INSTALL = 'apt-get install -y awscli';

/** Where the tests find the AWS CLI v2: AWS_CLI_V2 (e.g. the official installer's /usr/local/bin/aws), else /usr/bin/aws. */
export function awsCliPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_CLI_V2 ? env.AWS_CLI_V2 : DEFAULT_AWS_CLI;
}

/** What a block of AWS CLI tests does: run, skip with `reason`, or fail with `reason`. */
export type AwsCliDecision = { action: 'run' } | { action: 'skip' | 'fail'; reason: string };

/** Decides from whether the CLI is there and the environment (CI, AWS_CLI_V2); pure, so it is unit-tested. */
export function awsCliDecision(cliPresent: boolean, env: NodeJS.ProcessEnv = process.env): AwsCliDecision {
  if (cliPresent) return { action: 'run' };
  const path = awsCliPath(env);
  if (env.CI) {
    return {
      action: 'fail',
      reason: `${path} is missing and CI is set: CI must run the AWS CLI tests (.ci/run installs it: ${INSTALL})`,
    };
  }
  return {
    action: 'skip',
    reason: `the AWS CLI v2 is not at ${path}; install it to run these tests: ${INSTALL} (or point AWS_CLI_V2 at it)`,
  };
}

let reported = false;

/** `describe` for tests that run the AWS CLI v2: skipped with the reason printed without it, failing under CI. */
export function describeWithAwsCli(name: string, fn: () => void): void {
  const decision = awsCliDecision(existsSync(awsCliPath()));
  if (decision.action === 'run') {
    describe(name, fn);
    return;
  }
  if (decision.action === 'fail') {
    describe(name, () => {
      beforeAll(() => {
        throw new Error(decision.reason);
      });
      fn();
    });
    return;
  }
  if (!reported) {
    reported = true;
    console.warn(`AWS CLI tests skipped: ${decision.reason}`);
  }
  // The one place the suite skips tests, and only on this condition, so that
  // `npm test` passes on a machine with nothing but Node.js and npm.
  const skipped = describe.skip;
  skipped(`${name} [skipped: no AWS CLI v2 at ${awsCliPath()}]`, fn);
}

/** What a command printed and how it exited. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the AWS CLI v2 against an endpoint with dummy credentials and no user
 * config (`extraEnv` overrides them, e.g. AWS_ACCESS_KEY_ID=222222222222 to act as
 * that account); throws when it is missing.
 */
export function awsCli(endpoint: string, args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
  const cli = awsCliPath();
  if (!existsSync(cli)) {
    return Promise.reject(new Error(`${cli} is missing: tests that run the AWS CLI v2 need it (${INSTALL})`));
  }
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_PAGER: '',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extraEnv,
  };
  return new Promise((resolve) => {
    execFile(
      cli,
      ['--endpoint-url', endpoint, '--output', 'json', ...args],
      { env, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The AWS CLI's JSON output, or a failure showing what it printed. */
export async function awsJson<T>(endpoint: string, args: string[], extraEnv: Record<string, string> = {}): Promise<T> {
  const result = await awsCli(endpoint, args, extraEnv);
  if (result.code !== 0) throw new Error(`aws ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** `aws ecs describe-services` of one service (default the demo's `web`) on the sandbox cluster. */
export function describeServiceWithCli<Service>(endpoint: string, service = 'web'): Promise<{ services: Service[] }> {
  return awsJson<{ services: Service[] }>(endpoint, [
    'ecs',
    'describe-services',
    '--cluster',
    'sandbox',
    '--services',
    service,
  ]);
}
