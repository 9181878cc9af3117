import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { SendTaskFailureCommand, SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { GetCommand as GetItemCommand, UpdateCommand as UpdateItemCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { signSlackBody, slashCommandBody } from '../../../src/slack/adapters/signed-request.ts';
import {
  approvalId,
  call,
  dynamo,
  pendingApproval,
  SECRET,
  sfn,
  TASK_TOKEN,
  useSlackCommand,
  writes,
} from '../../support/slack-command-fixture.ts';
import { clickEvent, commandEvent, replyOf, slackUrlEvent } from '../../support/slack-events.ts';

// slack-command's edge: only requests Slack signed reach a command, and a
// refused one changes nothing in DynamoDB or Step Functions; approvals.

useSlackCommand();

const now = () => Math.floor(Date.now() / 1000);
const approveBody = slashCommandBody(`/release approve ${approvalId}`, 'U0APPROVER');

describe('slack-command: the signature', () => {
  it('accepts a request signed with the signing secret and answers it', async () => {
    const reply = replyOf(await call(commandEvent('/release help', 'U0ANYONE', SECRET)));
    expect(reply).toMatchObject({ status: 200, responseType: 'ephemeral' });
    expect(reply.text).toMatch(/\/release approve <id>/);
  });

  const forged: [string, () => APIGatewayProxyEventV2][] = [
    [
      'signed with another secret',
      () => commandEvent(`/release approve ${approvalId}`, 'U0APPROVER', 'not-the-secret'),
    ],
    [
      'with a body changed after signing',
      () => {
        const signed = signSlackBody(approveBody, SECRET);
        return slackUrlEvent(approveBody.replace('U0APPROVER', 'U0MALLORY'), signed.headers);
      },
    ],
    [
      'without a signature header',
      () => {
        const { 'x-slack-signature': _, ...headers } = signSlackBody(approveBody, SECRET).headers;
        return slackUrlEvent(approveBody, headers);
      },
    ],
    [
      'without a timestamp header',
      () => {
        const { 'x-slack-request-timestamp': _, ...headers } = signSlackBody(approveBody, SECRET).headers;
        return slackUrlEvent(approveBody, headers);
      },
    ],
    ['dated 301 s ago', () => commandEvent(`/release approve ${approvalId}`, 'U0APPROVER', SECRET, now() - 301)],
    ['dated 301 s ahead', () => commandEvent(`/release approve ${approvalId}`, 'U0APPROVER', SECRET, now() + 301)],
    [
      'replayed: an old signed body with a new timestamp',
      () => {
        const old = signSlackBody(approveBody, SECRET, now() - 600);
        return slackUrlEvent(approveBody, { ...old.headers, 'x-slack-request-timestamp': String(now()) });
      },
    ],
  ];

  it.each(forged)('refuses a request %s with 401 and changes nothing', async (_what, event) => {
    const result = (await call(event())) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(401);
    expect(result.body).toBe('unauthorized');
    expect(writes()).toBe(0);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('still accepts a request 299 s old', async () => {
    const reply = replyOf(await call(commandEvent('/release help', 'U0ANYONE', SECRET, now() - 299)));
    expect(reply.status).toBe(200);
  });
});

describe('slack-command: approvals', () => {
  it('approves for an approver: one SendTaskSuccess with the stored token, the decision recorded', async () => {
    const reply = replyOf(await call(commandEvent(`/release approve ${approvalId}`, 'U0APPROVER', SECRET)));
    expect(reply).toMatchObject({
      status: 200,
      responseType: 'in_channel',
      text: expect.stringMatching(/^Approved gate/),
    });
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input.taskToken).toBe(TASK_TOKEN);
    const updates = dynamo.commandCalls(UpdateItemCommand).map((c) => c.args[0].input.TableName);
    expect(updates).toEqual(['approvals', 'approvals', 'releases']);
  });

  it('approves through a user group, and through the button', async () => {
    await call(clickEvent({ actionId: 'approve', value: approvalId, user: 'U0GROUPIE' }, SECRET));
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(1);
  });

  it('rejects with a reason: SendTaskFailure ApprovalRejected naming who and why', async () => {
    await call(commandEvent(`/release reject ${approvalId} too risky today`, 'U0APPROVER', SECRET));
    const failure = sfn.commandCalls(SendTaskFailureCommand)[0]?.args[0].input;
    expect(failure).toMatchObject({
      error: 'ApprovalRejected',
      cause: expect.stringMatching(/^rejected by U0APPROVER at .*: too risky today$/),
    });
  });

  it.each([
    ['someone not on the list', 'U0STRANGER', /not an approver of gate\/production/],
    ['an approver who asked for the release (two-person rule)', 'U0APPROVER', /two-person rule/],
  ])('refuses %s: no decision is written and no SendTaskSuccess sent', async (_who, user, message) => {
    const request = { ...pendingApproval().request, requestedBy: { name: 'U0APPROVER', slackUserId: 'U0APPROVER' } };
    dynamo.on(GetItemCommand).resolves({ Item: pendingApproval({ request }) });
    const reply = replyOf(await call(commandEvent(`/release approve ${approvalId}`, user, SECRET)));
    expect(reply.text).toMatch(message);
    expect(writes()).toBe(0);
  });

  it('tells a second approver who decided and when; nothing is sent again', async () => {
    dynamo
      .on(UpdateItemCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    dynamo
      .on(GetItemCommand)
      .resolvesOnce({ Item: pendingApproval() })
      .resolves({
        Item: pendingApproval({ status: 'APPROVED', decidedBy: 'U0GROUPIE', decidedAt: '2026-12-02T01:00:00.000Z' }),
      });
    const reply = replyOf(await call(commandEvent(`/release approve ${approvalId}`, 'U0APPROVER', SECRET)));
    expect(reply.text).toBe(
      `Approval \`${approvalId}\` was already approved by <@U0GROUPIE> at 2026-12-02T01:00:00.000Z.`,
    );
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it.each(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'])(
    'says "expired" when Step Functions answers %s',
    async (name) => {
      sfn.on(SendTaskSuccessCommand).rejects(Object.assign(new Error('gone'), { name, $fault: 'client' }));
      const reply = replyOf(await call(commandEvent(`/release approve ${approvalId}`, 'U0APPROVER', SECRET)));
      expect(reply.text).toMatch(/expired/);
    },
  );

  it('says "expired" past the approval’s deadline without calling Step Functions', async () => {
    dynamo
      .on(GetItemCommand)
      .resolves({ Item: pendingApproval({ expiresAt: new Date(Date.now() - 1000).toISOString() }) });
    const reply = replyOf(await call(commandEvent(`/release approve ${approvalId}`, 'U0APPROVER', SECRET)));
    expect(reply.text).toMatch(/expired at/);
    expect(writes()).toBe(0);
  });

  it('answers an unknown approval id plainly', async () => {
    dynamo.on(GetItemCommand).resolves({});
    expect(replyOf(await call(commandEvent('/release approve zzzzzzzz', 'U0APPROVER', SECRET))).text).toBe(
      'There is no approval `zzzzzzzz`.',
    );
    expect(replyOf(await call(commandEvent('/release approve ../../etc', 'U0APPROVER', SECRET))).text).toMatch(
      /no approval/,
    );
    expect(writes()).toBe(0);
  });
});

describe('slack-command: failures', () => {
  it('answers a failed AWS call with what happened, by name, instead of a bare 500', async () => {
    dynamo
      .on(GetItemCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client' }));
    const reply = replyOf(await call(commandEvent(`/release approve ${approvalId}`, 'U0APPROVER', SECRET)));
    expect(reply).toMatchObject({ status: 200, responseType: 'ephemeral' });
    expect(reply.text).toMatch(/^That did not work \(TransientError\); it may not have taken effect/);
    expect(writes()).toBe(0);
  });
});
