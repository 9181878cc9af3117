import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { RENEW_BEFORE_MS, RoleSessions } from '../../../src/platform/assumed-roles.ts';
import { TargetAccessError, TransientError } from '../../../src/platform/errors.ts';
import { roleSessionName } from '../../../src/platform/target-access.ts';

// The automation's sessions in its targets' accounts (issue 20): one AssumeRole
// per role and session while its credentials last, renewed before they lapse,
// and a role that cannot be assumed named with STS's reason, never the keys.

const sts = mockClient(STSClient);
const ROLE = 'arn:aws:iam::222222222222:role/release-automation-deploy';
const T0 = new Date('2026-12-06T10:00:00Z');
let now = T0;
let issued = 0;

afterEach(() => {
  sts.reset();
  now = T0;
  issued = 0;
});

function answerWithSessions(lifetimeMs = 3_600_000) {
  sts.on(AssumeRoleCommand).callsFake(() => {
    issued++;
    return {
      Credentials: {
        AccessKeyId: `ASIA${issued}`,
        SecretAccessKey: `secret-${issued}`,
        SessionToken: `token-${issued}`,
        Expiration: new Date(now.getTime() + lifetimeMs),
      },
    };
  });
}
const sessions = () => new RoleSessions({ sts: new STSClient({ region: 'us-east-1' }), now: () => now });

describe('RoleSessions', () => {
  it('assumes a role once per session while its credentials last, and again shortly before they expire', async () => {
    answerWithSessions();
    const roles = sessions();
    const first = await roles.credentials({ roleArn: ROLE }, 'release-1');
    expect(await roles.credentials({ roleArn: ROLE }, 'release-1')).toBe(first);
    now = new Date(T0.getTime() + 3_600_000 - RENEW_BEFORE_MS - 1000);
    expect((await roles.credentials({ roleArn: ROLE }, 'release-1')).AccessKeyId).toBe('ASIA1');
    now = new Date(T0.getTime() + 3_600_000 - RENEW_BEFORE_MS + 1000);
    expect((await roles.credentials({ roleArn: ROLE }, 'release-1')).AccessKeyId).toBe('ASIA2');
    // Another release is another session (its own name in the target's CloudTrail).
    expect((await roles.credentials({ roleArn: ROLE }, 'release-2')).AccessKeyId).toBe('ASIA3');
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input.RoleSessionName)).toEqual([
      'release-1',
      'release-1',
      'release-2',
    ]);
  });

  it('passes the external id, and asks once for concurrent callers', async () => {
    answerWithSessions();
    const roles = sessions();
    await Promise.all([1, 2, 3].map(() => roles.credentials({ roleArn: ROLE, externalId: 'ext-1' }, 'release-1')));
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input)).toEqual([
      { RoleArn: ROLE, RoleSessionName: 'release-1', ExternalId: 'ext-1', DurationSeconds: 3600 },
    ]);
  });

  it('names the role and STS’s reason when it cannot be assumed, and tries again next time', async () => {
    sts.on(AssumeRoleCommand).rejects(
      Object.assign(
        new Error(
          `User: arn:aws:sts::000000000000:assumed-role/plan is not authorized to perform: sts:AssumeRole on resource: ${ROLE}`,
        ),
        {
          name: 'AccessDenied',
        },
      ),
    );
    const roles = sessions();
    const failure = roles.credentials({ roleArn: ROLE }, 'release-1');
    await expect(failure).rejects.toThrow(TargetAccessError);
    await expect(failure).rejects.toThrow(`cannot assume role ${ROLE}: AccessDenied: User:`);
    await expect(roles.credentials({ roleArn: ROLE }, 'release-1')).rejects.toThrow(TargetAccessError);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('makes throttling a TransientError (the step retries), and an answer without keys a TargetAccessError', async () => {
    sts.on(AssumeRoleCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    await expect(sessions().credentials({ roleArn: ROLE }, 'r')).rejects.toThrow(TransientError);
    sts.reset();
    sts.on(AssumeRoleCommand).resolves({});
    await expect(sessions().credentials({ roleArn: ROLE }, 'r')).rejects.toThrow('STS answered without credentials');
  });

  it('never puts the session’s keys in an error', async () => {
    answerWithSessions(1000);
    const roles = sessions();
    const session = await roles.credentials({ roleArn: ROLE }, 'r');
    sts.reset();
    sts.on(AssumeRoleCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    now = new Date(T0.getTime() + 2000);
    const error = await roles.credentials({ roleArn: ROLE }, 'r').catch((caught: unknown) => caught);
    expect(String((error as Error).message)).not.toContain(session.SecretAccessKey);
    expect(String((error as Error).message)).not.toContain(session.SessionToken);
  });
});

describe('roleSessionName', () => {
  it('keeps a release id STS accepts, and makes any other fit (2 to 64 of letters, digits and +=,.@-_)', () => {
    expect(roleSessionName('web-production-sha256-7f5b2640')).toBe('web-production-sha256-7f5b2640');
    expect(roleSessionName('web#production:v2 (slack)')).toBe('web-production-v2--slack-');
    expect(roleSessionName('x'.repeat(100))).toHaveLength(64);
    expect(roleSessionName('a')).toMatch(/^[\w+=,.@-]{2}$/);
  });
});
