import { describe, expect, it } from '@jest/globals';
import { Partitions } from '../../../sandbox/aws/partitions.ts';
import { type Caller, requestContext, rootCaller } from '../../../sandbox/aws/request-context.ts';
import { credentialScope } from '../../../sandbox/aws/sigv4.ts';
import { trusts } from '../../../sandbox/sts/trust.ts';

// Which account and region a request acts in, one model per each, and whom a
// trust policy lets assume a role: the rules, without a server.

const HOME = { accountId: '000000000000', region: 'us-east-1' };
const signed = (key: string, region: string) =>
  credentialScope(
    `AWS4-HMAC-SHA256 Credential=${key}/20261206/${region}/ecs/aws4_request, SignedHeaders=host, Signature=0`,
  );

describe('requestContext', () => {
  it('acts as the account a twelve-digit key names, in the signed region', () => {
    expect(requestContext(signed('222222222222', 'us-west-2'), HOME)).toEqual({
      location: { accountId: '222222222222', region: 'us-west-2' },
      caller: { accountId: '222222222222', arn: 'arn:aws:iam::222222222222:root', userId: '222222222222' },
    });
  });

  it("acts as the sandbox's own account for any other key, and in its region when unsigned", () => {
    for (const key of ['test', 'AKIAIOSFODNN7EXAMPLE', '12345678901', '1234567890123']) {
      expect(requestContext(signed(key, 'eu-west-1'), HOME).location).toEqual({
        accountId: '000000000000',
        region: 'eu-west-1',
      });
    }
    expect(requestContext(undefined, HOME)).toEqual({ location: HOME, caller: rootCaller('000000000000') });
  });

  it("acts as an STS session's role account, with the session's token", () => {
    const session: Caller = {
      accountId: '333333333333',
      arn: 'arn:aws:sts::333333333333:assumed-role/reader/ci',
      userId: 'AROAEXAMPLE:ci',
      roleArn: 'arn:aws:iam::333333333333:role/reader',
    };
    const tokens: (string | undefined)[] = [];
    const context = requestContext(signed('ASIAEXAMPLE', 'us-west-2'), HOME, {
      sessionToken: 'token',
      sessions: (key, token) => {
        tokens.push(token);
        return key === 'ASIAEXAMPLE' ? session : undefined;
      },
    });
    expect(context).toEqual({ location: { accountId: '333333333333', region: 'us-west-2' }, caller: session });
    expect(tokens).toEqual(['token']);
  });
});

describe('Partitions', () => {
  it('makes one model per account and region on first use, the home one given', () => {
    const made: string[] = [];
    const partitions = new Partitions(HOME, (where) => made.push(`${where.accountId}/${where.region}`), 0);
    expect(partitions.at()).toBe(0);
    expect(partitions.at({ accountId: '222222222222', region: 'us-west-2' })).toBe(1);
    expect(partitions.at({ accountId: '222222222222', region: 'us-west-2' })).toBe(1);
    expect(partitions.at({ accountId: '222222222222', region: 'us-east-1' })).toBe(2);
    expect(partitions.find({ accountId: '444444444444', region: 'us-east-1' })).toBeUndefined();
    expect(made).toEqual(['222222222222/us-west-2', '222222222222/us-east-1']);
    expect(partitions.entries().map((entry) => entry.model)).toEqual([0, 1, 2]);
  });
});

describe('trusts', () => {
  const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const allow = (principal: unknown, extra: object = {}) => ({
    Effect: 'Allow',
    Principal: principal,
    Action: 'sts:AssumeRole',
    ...extra,
  });
  const root = rootCaller('111111111111');
  const session: Caller = {
    accountId: '222222222222',
    arn: 'arn:aws:sts::222222222222:assumed-role/deployer/release',
    userId: 'AROAEXAMPLE:release',
    roleArn: 'arn:aws:iam::222222222222:role/deployer',
  };

  it('trusts an account (by id or root ARN), a role (its sessions) or anyone', () => {
    expect(trusts(policy(allow({ AWS: '111111111111' })), { caller: root })).toBe(true);
    expect(trusts(policy(allow({ AWS: ['arn:aws:iam::111111111111:root'] })), { caller: root })).toBe(true);
    expect(trusts(policy(allow({ AWS: '111111111111' })), { caller: session })).toBe(false);
    expect(trusts(policy(allow({ AWS: 'arn:aws:iam::222222222222:role/deployer' })), { caller: session })).toBe(true);
    expect(trusts(policy(allow({ AWS: 'arn:aws:iam::222222222222:role/deployer' })), { caller: root })).toBe(false);
    expect(trusts(policy(allow('*')), { caller: root })).toBe(true);
    expect(trusts(policy(allow({ Service: 'ecs-tasks.amazonaws.com' })), { caller: root })).toBe(false);
  });

  it('needs the action, lets a Deny win, and checks sts:ExternalId', () => {
    expect(trusts(policy({ ...allow({ AWS: '111111111111' }), Action: 'sts:TagSession' }), { caller: root })).toBe(
      false,
    );
    expect(
      trusts(policy(allow({ AWS: '111111111111' }), { ...allow({ AWS: '*' }), Effect: 'Deny' }), { caller: root }),
    ).toBe(false);
    const withId = (operator: string, value: string) =>
      policy(allow({ AWS: '111111111111' }, { Condition: { [operator]: { 'sts:ExternalId': value } } }));
    expect(trusts(withId('StringEquals', 'abc-123'), { caller: root, externalId: 'abc-123' })).toBe(true);
    expect(trusts(withId('StringEquals', 'abc-123'), { caller: root, externalId: 'abc-124' })).toBe(false);
    expect(trusts(withId('StringEquals', 'abc-123'), { caller: root })).toBe(false);
    expect(trusts(withId('StringLike', 'abc-*'), { caller: root, externalId: 'abc-999' })).toBe(true);
  });
});
