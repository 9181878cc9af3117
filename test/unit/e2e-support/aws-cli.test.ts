import { describe, expect, it } from '@jest/globals';
import { awsCliDecision, awsCliPath } from '../../e2e/support/aws-cli.ts';

// When the AWS CLI tests run, skip or fail: a developer's machine without the
// CLI skips them (saying why and how to install it); CI never does.

describe('awsCliDecision', () => {
  it('runs the tests when the CLI is there, in CI or not', () => {
    expect(awsCliDecision(true, {})).toEqual({ action: 'run' });
    expect(awsCliDecision(true, { CI: 'true' })).toEqual({ action: 'run' });
  });

  it('skips them without the CLI when CI is unset or empty, with the path and the install command', () => {
    for (const env of [{}, { CI: '' }]) {
      const decision = awsCliDecision(false, env);
      expect(decision.action).toBe('skip');
      expect(decision).toMatchObject({ reason: expect.stringContaining('/usr/bin/aws') });
      expect(decision).toMatchObject({ reason: expect.stringContaining('apt-get install -y awscli') });
    }
  });

  it('fails them without the CLI under CI, whatever its value', () => {
    for (const CI of ['true', '1', 'false']) {
      const decision = awsCliDecision(false, { CI });
      expect(decision.action).toBe('fail');
      expect(decision).toMatchObject({ reason: expect.stringContaining('/usr/bin/aws is missing and CI is set') });
    }
  });

  it('names the path AWS_CLI_V2 gives', () => {
    expect(awsCliDecision(false, { AWS_CLI_V2: '/opt/aws/bin/aws' })).toMatchObject({
      action: 'skip',
      reason: expect.stringContaining('/opt/aws/bin/aws'),
    });
  });
});

describe('awsCliPath', () => {
  it('is /usr/bin/aws, or AWS_CLI_V2 when set and not empty', () => {
    expect(awsCliPath({})).toBe('/usr/bin/aws');
    expect(awsCliPath({ AWS_CLI_V2: '' })).toBe('/usr/bin/aws');
    expect(awsCliPath({ AWS_CLI_V2: '/usr/local/bin/aws' })).toBe('/usr/local/bin/aws');
  });
});
