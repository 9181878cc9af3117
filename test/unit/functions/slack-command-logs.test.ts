import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { signSlackBody, slashCommandBody } from '../../../src/slack/adapters/signed-request.ts';
import { call, SECRET, useSlackCommand } from '../../support/slack-command-fixture.ts';
import { commandEvent, slackUrlEvent } from '../../support/slack-events.ts';

// What slack-command writes to its log for requests it refuses. Its URL is
// public: anyone can send it junk, so a refusal is logged once, at WARN, and
// never at ERROR, where an alarm would page someone for it.

// Logging on from the cold start: Powertools' logger resets to its initial level at each invocation.
useSlackCommand({ POWERTOOLS_LOG_LEVEL: 'DEBUG' });

const now = () => Math.floor(Date.now() / 1000);
const help = slashCommandBody('/release help', 'U0ANYONE');
let lines: string[] = [];

beforeEach(() => {
  lines = [];
  const capture = (chunk: unknown) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  jest.spyOn(process.stderr, 'write').mockImplementation(capture);
});
afterEach(() => {
  jest.restoreAllMocks();
});

/** The level of each line the function logged, and what it answered. */
async function logged(event: APIGatewayProxyEventV2): Promise<{ status: number; levels: string[] }> {
  const { statusCode } = (await call(event)) as { statusCode: number };
  return { status: statusCode, levels: lines.map((line) => (JSON.parse(line) as { level: string }).level) };
}

describe('slack-command logs a refused request once, at WARN, and never at ERROR', () => {
  const refused: [string, number, () => APIGatewayProxyEventV2][] = [
    ['signed with another secret', 401, () => commandEvent('/release help', 'U0ANYONE', 'not-the-secret')],
    [
      'without a signature',
      401,
      () => {
        const { 'x-slack-signature': _, ...headers } = signSlackBody(help, SECRET).headers;
        return slackUrlEvent(help, headers);
      },
    ],
    ['dated 301 s ago', 401, () => commandEvent('/release help', 'U0ANYONE', SECRET, now() - 301)],
    [
      'signed, but no slash command (no user)',
      400,
      () => {
        const signed = signSlackBody(new URLSearchParams({ text: 'help' }).toString(), SECRET);
        return slackUrlEvent(signed.body, signed.headers);
      },
    ],
  ];
  it.each(refused)('a request %s: %i', async (_what, status, event) => {
    expect(await logged(event())).toEqual({ status, levels: ['WARN'] });
  });

  it('while a request it answers logs at INFO', async () => {
    expect(await logged(commandEvent('/release help', 'U0ANYONE', SECRET))).toEqual({
      status: 200,
      levels: ['INFO'],
    });
  });
});
