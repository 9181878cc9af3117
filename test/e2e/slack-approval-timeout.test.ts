import { fileURLToPath } from 'node:url';
import { expect, it } from '@jest/globals';
import { buttonsOf } from '../../sandbox/slack/workspace.ts';
import { probe, startRelease, tagOf, waitForExecution } from '../../scripts/lib/releases.ts';
import { E2E_TIME_FACTOR, useReleaseSandbox } from './support/e2e.ts';

// A production release nobody approves within the catalog's timeout (two
// seconds in test/fixtures/catalog/slack-sandbox-timeout.yml) ends NOT_APPROVED;
// its message says so and a late approval is told it expired.

const rs = useReleaseSandbox({
  timeFactor: E2E_TIME_FACTOR,
  environment: {
    RELEASE_CATALOG_FILE: fileURLToPath(new URL('../fixtures/catalog/slack-sandbox-timeout.yml', import.meta.url)),
  },
});

it('times out as NOT_APPROVED; v1 still serves; a late approval is told it expired', async () => {
  const { executionArn } = await startRelease(rs.target, 'demo/web', 'v2');
  const ended = await waitForExecution(rs.target, executionArn);
  expect(ended.outcomes[0]).toMatchObject({
    outcome: 'NOT_APPROVED',
    reason: expect.stringMatching(/nobody approved/),
  });
  expect((await probe(rs.lbUrl(), 2)).map((answer) => tagOf(answer.image))).toEqual(['v1', 'v1']);

  const message = rs.sandbox.slack.messages().find((candidate) => /^Expired: web v2/.test(candidate.text ?? ''));
  expect(message).toBeDefined();
  expect(buttonsOf(message?.blocks)).toEqual([]);
  const approvalId = /Approval `(\w+)`/.exec(JSON.stringify(message?.blocks))?.[1] ?? '';
  const late = await rs.sandbox.slack.sendCommand(`/release approve ${approvalId}`, 'U0APPROVER');
  expect(late.text).toMatch(/expired/);
}, 60_000);
