import { describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import { logger } from '../../../src/platform/lambda.ts';
import { signSlackBody, slashCommandBody } from '../../../src/slack/adapters/signed-request.ts';
import { slackSignature } from '../../../src/slack/signature.ts';
import {
  approvalId,
  BOT_TOKEN,
  call,
  dynamo,
  SECRET,
  slack,
  TASK_TOKEN,
  useSlackCommand,
  writes,
} from '../../support/slack-command-fixture.ts';
import { clickEvent, commandEvent, slackUrlEvent } from '../../support/slack-events.ts';

// Thousands of generated requests that Slack did not sign as they arrive
// (forged, replayed, stale, tampered) or that are malformed: none writes to
// DynamoDB, calls Step Functions or posts to Slack. And no secret (signing
// secret, bot token, task token) is ever logged, answered or posted.

useSlackCommand();

const now = () => Math.floor(Date.now() / 1000);
const command = fc.constantFrom(
  `/release approve ${approvalId}`,
  `/release reject ${approvalId} nope`,
  '/release deploy gate v3',
  '/release rollback gate',
  '/release abort gate production',
);
const user = fc.constantFrom('U0APPROVER', 'U0DEPLOYER', 'U0GROUPIE');

type Status = { statusCode: number };

describe('slack-command under generated attacks', () => {
  it('changes nothing for forged, tampered, stale or replayed requests (401 every time)', async () => {
    const forgedRequest = fc.oneof(
      // Signed with another secret.
      fc
        .tuple(command, user, fc.string({ minLength: 1, maxLength: 40 }))
        .filter(([, , secret]) => secret !== SECRET)
        .map(([line, who, secret]) => commandEvent(line, who, secret)),
      // Signed right, then a byte of the body changed.
      fc.tuple(command, user, fc.nat(), fc.string({ minLength: 1, maxLength: 1 })).map(([line, who, at, char]) => {
        const body = slashCommandBody(line, who);
        const i = at % body.length;
        const changed = `${body.slice(0, i)}${char === body[i] ? (char === 'x' ? 'y' : 'x') : char}${body.slice(i + 1)}`;
        return slackUrlEvent(changed, signSlackBody(body, SECRET).headers);
      }),
      // Signed right, but dated more than 300 s away.
      fc
        .tuple(command, user, fc.integer({ min: 301, max: 10_000_000 }), fc.boolean())
        .map(([line, who, skew, ahead]) => commandEvent(line, who, SECRET, now() + (ahead ? skew : -skew))),
      // An old signed body replayed under a fresh timestamp.
      fc.tuple(command, user, fc.integer({ min: 1, max: 10_000 })).map(([line, who, age]) => {
        const body = slashCommandBody(line, who);
        const old = signSlackBody(body, SECRET, now() - age);
        return slackUrlEvent(body, {
          ...old.headers,
          'x-slack-request-timestamp': String(now() - age + 1 + (age % 7)),
        });
      }),
      // Random or missing headers.
      fc.tuple(command, user, fc.option(fc.string()), fc.option(fc.string())).map(([line, who, ts, sig]) =>
        slackUrlEvent(slashCommandBody(line, who), {
          'content-type': 'application/x-www-form-urlencoded',
          ...(ts === null ? {} : { 'x-slack-request-timestamp': ts }),
          ...(sig === null ? {} : { 'x-slack-signature': sig }),
        }),
      ),
      // A well-formed signature header with a random digest.
      fc.tuple(command, user, fc.stringMatching(/^[0-9a-f]{64}$/)).map(([line, who, hex]) => {
        const body = slashCommandBody(line, who);
        return slackUrlEvent(body, { 'x-slack-request-timestamp': String(now()), 'x-slack-signature': `v0=${hex}` });
      }),
    );
    await fc.assert(
      fc.asyncProperty(forgedRequest, async (event) => {
        const result = (await call(event)) as Status;
        expect(result.statusCode).toBe(401);
        expect(writes()).toBe(0);
      }),
      { numRuns: 3000 },
    );
    expect(dynamo.calls()).toHaveLength(0);
    expect(slack().messages()).toHaveLength(0);
  });

  it('changes nothing for signed bodies that are not Slack requests (malformed forms and payloads)', async () => {
    const garbage = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ maxLength: 300 }).map((text) => `payload=${encodeURIComponent(text)}`),
      fc.json().map((json) => `payload=${encodeURIComponent(json)}`),
    );
    await fc.assert(
      fc.asyncProperty(garbage, async (body) => {
        const ts = String(now());
        const event = slackUrlEvent(body, {
          'x-slack-request-timestamp': ts,
          'x-slack-signature': `v0=${slackSignature(body, ts, SECRET)}`,
        });
        const result = (await call(event)) as Status;
        expect([200, 400]).toContain(result.statusCode);
        expect(writes()).toBe(0);
      }),
      { numRuns: 1500 },
    );
  });
});

describe('secrets stay secret', () => {
  it('never logs, answers or posts the signing secret, the bot token or a task token', async () => {
    // Every level on for this test: tests run with logs SILENT, and each warm
    // invocation would reset the logger to that level (its sampling refresh).
    logger.setLogLevel('DEBUG');
    const refresh = jest.spyOn(logger, 'refreshSampleRateCalculation').mockImplementation(() => undefined);
    const lines: string[] = [];
    const capture = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
    const answers: string[] = [];
    try {
      const events = [
        commandEvent(`/release approve ${approvalId}`, 'U0APPROVER', SECRET),
        commandEvent(`/release reject ${approvalId} no`, 'U0APPROVER', SECRET),
        clickEvent({ actionId: 'approve', value: approvalId, user: 'U0STRANGER' }, SECRET),
        commandEvent('/release deploy gate v3', 'U0DEPLOYER', 'wrong-secret'),
        commandEvent(`/release approve ${approvalId}`, 'U0APPROVER', SECRET, now() - 1000),
      ];
      for (const event of events) answers.push(JSON.stringify(await call(event)));
      // A failing Step Functions call: its error is logged and answered, never with the token.
      const { sfn } = await import('../../support/slack-command-fixture.ts');
      const { SendTaskSuccessCommand } = await import('@aws-sdk/client-sfn');
      sfn
        .on(SendTaskSuccessCommand)
        .rejects(
          Object.assign(new Error(`Internal failure for ${TASK_TOKEN}`), { name: 'InternalError', $fault: 'server' }),
        );
      answers.push(JSON.stringify(await call(commandEvent(`/release approve ${approvalId}`, 'U0APPROVER', SECRET))));
    } finally {
      out.mockRestore();
      err.mockRestore();
      refresh.mockRestore();
      logger.setLogLevel('SILENT');
    }
    expect(lines.length).toBeGreaterThan(3);
    const everything = [
      ...lines,
      ...answers,
      ...slack()
        .messages()
        .map((message) => JSON.stringify(message)),
    ].join('\n');
    expect(slack().messages().length).toBeGreaterThan(0);
    for (const secret of [SECRET, BOT_TOKEN, TASK_TOKEN]) expect(everything).not.toContain(secret);
  });
});
