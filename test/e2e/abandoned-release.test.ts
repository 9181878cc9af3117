import { GetExecutionHistoryCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buttonsOf, readableText } from '../../sandbox/slack/workspace.ts';
import { type ReleaseSandbox, startReleaseSandbox } from '../../scripts/lib/release-sandbox.ts';
import { executionsWith, releaseImage, startRelease, untilNextSecond } from '../../scripts/lib/releases.ts';
import { pushImage } from '../../src/cli/push.ts';
import type { ReleaseStatus } from '../../src/cli/status.ts';
import { release } from './support/e2e.ts';

// An operator stops a release execution mid-deployment (StopExecution). Its
// own last states never run; Step Functions' status change event on the bus
// starts `abandon`, which ends the release ABANDONED, frees the target and posts
// the manual-action alert. The next push then releases at once instead of
// waiting out the stopped release's lease.

let rs: ReleaseSandbox;

// Slower than the other end-to-end sandboxes, so that the release is surely
// still waiting for stability when it is stopped. With the demo's production,
// which `/release deploy` releases after an approval in Slack.
beforeAll(async () => {
  rs = await startReleaseSandbox({ timeFactor: 0.1, productionDemo: true });
}, 60_000);

afterAll(async () => {
  await rs?.stop();
}, 30_000);

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const statusOf = async (digest: string) => {
  const { lines } = await release(['status', '--json', '--endpoint-url', rs.sandbox.endpoint]);
  return (JSON.parse(lines.join('\n')) as ReleaseStatus[]).find((record) => record.digest === digest);
};

describe('a release execution stopped mid-deployment', () => {
  it('ends ABANDONED, raises the manual-action alert and frees the target for the next push', async () => {
    const { digest, executionArn } = await startRelease(rs.target, 'demo/web', 'v2');
    await until('the release to wait for stability', async () => {
      const { events = [] } = await rs.target.sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      return events.some((event) => event.stateEnteredEventDetails?.name === 'AwaitStability') ? true : undefined;
    });

    await rs.target.sfn.send(
      new StopExecutionCommand({ executionArn, error: 'Operator.Stopped', cause: 'stopped in the e2e test' }),
    );

    const ended = await until('the release record to end', async () => {
      const record = await statusOf(digest);
      return record?.outcome === 'RUNNING' ? undefined : record;
    });
    expect(ended.outcome).toBe('ABANDONED');
    const alert = await until('the alert', async () =>
      rs.sandbox.slack.messages().find((message) => message.text?.startsWith('MANUAL ACTION NEEDED')),
    );
    expect(alert.text).toContain('the release of web v2 to staging was stopped before it finished');
    expect(alert.text).toContain('Operator.Stopped: stopped in the e2e test');

    // Without abandon, v3 would wait for the stopped release's lease (tens of minutes).
    const next = await releaseImage(rs.target, 'demo/web', 'v3');
    expect(next.status).toBe('SUCCEEDED');
    expect(next.outcomes[0]?.outcome).toBe('SUCCEEDED');
  }, 60_000);
});

describe('a release `/release deploy` started, stopped while it waits for its approval', () => {
  it('ends ABANDONED, raises the manual-action alert and frees production for the next deploy', async () => {
    await pushImage(rs.target, 'demo/web', 'v4');
    const deploy = () => rs.sandbox.slack.sendCommand('/release deploy web v4 production', 'U0DEPLOYER');
    const approvals = () =>
      rs.sandbox.slack
        .messages()
        .filter((message) => /^(Approval needed|Withdrawn): web v4 to production/.test(message.text ?? ''));
    const alerts = () => rs.sandbox.slack.messages().filter((message) => message.text?.startsWith('MANUAL ACTION'));
    const alertsBefore = alerts().length;
    const asked = await deploy();
    const releaseId = /\(release ([^)]+)\)/.exec(String(asked.text))?.[1] ?? '';
    expect(releaseId).toMatch(/^web-production-slack-/);
    const [executionArn = ''] = await executionsWith(rs.target, releaseId, 1);
    await until('the approval message', async () => (approvals().length === 1 ? true : undefined));

    await rs.target.sfn.send(
      new StopExecutionCommand({ executionArn, error: 'Operator.Stopped', cause: 'stopped in the e2e test' }),
    );

    const ended = await until('the release record to end', async () => {
      const { lines } = await release(['status', '--json', '--endpoint-url', rs.sandbox.endpoint]);
      const record = (JSON.parse(lines.join('\n')) as ReleaseStatus[]).find((status) => status.id === releaseId);
      return record?.outcome === 'RUNNING' ? undefined : record;
    });
    expect(ended.outcome).toBe('ABANDONED');
    const alert = await until('the alert', async () => (alerts().length > alertsBefore ? alerts().at(-1) : undefined));
    expect(alert.text).toContain('the release of web v4 to production was stopped before it finished');
    expect(alert.text).toContain('Operator.Stopped: stopped in the e2e test');
    // Its approval message no longer offers buttons that would answer nothing, and says why.
    const withdrawn = await until('the approval message withdrawn', async () =>
      approvals()[0]?.text?.startsWith('Withdrawn') ? approvals()[0] : undefined,
    );
    expect(buttonsOf(withdrawn.blocks)).toEqual([]);
    expect(readableText(withdrawn)).toContain('stopped before anyone decided');

    // Without abandon, the next deploy would wait for the stopped release's lease (about a day here).
    await untilNextSecond(); // the same command by the same person in the same second is the same request
    await deploy();
    await until('the next approval message', async () => (approvals().length === 2 ? true : undefined));
  }, 60_000);
});
