import { type SlackStub, startSlackStub } from '../../../sandbox/slack/stub.ts';
import type { Notifier } from '../../../src/platform/notifier.ts';
import type { NotifyInput } from '../../../src/release/messages.ts';
import { notifyRelease } from '../../../src/release/notify.ts';
import type { DeployResult } from '../../../src/release/release.ts';
import { createSlackClient, createSlackNotifier } from '../../../src/slack/adapters/slack-client.ts';
import { webDeployment } from '../../support/ecs-release.ts';
import { releaseRequest } from '../../support/release-request.ts';

// notify through the real WebClient against a Slack Web API stub on loopback.

const TOKEN = 'xoxb-test-token';
let slack: SlackStub;
let notifier: Notifier;

beforeAll(async () => {
  slack = await startSlackStub({ port: 0, token: TOKEN });
  notifier = createSlackNotifier({
    client: createSlackClient({ slackApiUrl: slack.apiUrl }),
    token: async () => TOKEN,
  });
});
afterAll(() => slack.close());
beforeEach(() => {
  slack.calls.length = 0;
  slack.script((_call, index) => ({
    body: { ok: true, channel: 'C0RELEASES', ts: `1790000000.${String(index + 1).padStart(6, '0')}` },
  }));
});

const request = releaseRequest({ tag: 'v2' });
// web:41 → web:42, deployed at 10:30:05 in these tests.
const deployment: DeployResult = {
  ...webDeployment(),
  startedAt: '2026-11-21T10:30:05Z',
  deadline: '2026-11-21T10:40:05Z',
};
const lambdaError = (errorType: string, errorMessage: string) => ({
  Error: errorType,
  Cause: JSON.stringify({ errorType, errorMessage }),
});
const notify = (input: Omit<NotifyInput, 'request'>) => notifyRelease({ request, ...input }, notifier);
const thread = { ts: '1790000000.000001', channel: 'C0RELEASES' };
const posted = (index = 0) => {
  const call = slack.calls[index];
  if (!call) throw new Error(`no Slack call #${index}`);
  return { ...call, all: JSON.stringify(call.args) };
};

describe('notify', () => {
  it('announces a release in the target channel: service, environment, tag, image and trigger', async () => {
    const result = await notify({ event: 'started' });

    expect(result).toEqual({ delivered: true, ts: '1790000000.000001', channel: 'C0RELEASES' });
    const call = posted();
    expect(call).toMatchObject({ method: 'chat.postMessage', token: TOKEN, args: { channel: '#releases' } });
    expect(call.args.thread_ts).toBeUndefined();
    expect(call.args.text).toBe(
      `Releasing web v2 to staging (${request.image.digest.slice(0, 19)}, ECR push at 2026-11-21T10:15:30Z)`,
    );
    for (const shown of ['web', 'staging', '`v2`', request.image.digest.slice(0, 19), 'ECR push at', 'web:41']) {
      expect(call.all).toContain(shown);
    }
  });

  it('replies in the thread of the started message, and hands the thread on', async () => {
    const result = await notify({ event: 'succeeded', deployment, notice: thread });

    expect(result).toEqual({ delivered: true, ts: thread.ts, channel: 'C0RELEASES' });
    const call = posted();
    expect(call.args).toMatchObject({ channel: 'C0RELEASES', thread_ts: thread.ts, reply_broadcast: false });
    expect(call.args.text).toBe('Released web v2 to staging');
    expect(call.all).toContain('Now running `web:42` (was `web:41`)');
  });

  it('closes the thread when the image was already live: nothing released, the revision running it', async () => {
    const alreadyLive = {
      noop: `${request.image.digest} is already live in web:42`,
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:42',
    };
    await notify({ event: 'already-live', alreadyLive, notice: thread });

    const call = posted();
    expect(call.args).toMatchObject({ channel: 'C0RELEASES', thread_ts: thread.ts });
    expect(call.args.text).toBe('Nothing to release: web v2 is already live on staging');
    expect(call.all).toContain('already live on *staging*, in `web:42`');
  });

  it('says why a release failed', async () => {
    await notify({
      event: 'failed',
      error: lambdaError('DeployFailedError', 'UpdateService refused: cluster not found'),
    });

    expect(posted().args.text).toBe(
      'Release of web v2 to staging failed: DeployFailedError: UpdateService refused: cluster not found',
    );
  });

  it('says a failed release was rolled back, to what and why', async () => {
    await notify({
      event: 'rolled-back',
      deployment,
      error: lambdaError('SmokeTestFailedError', '1 of 1 smoke check failed'),
      notice: thread,
    });

    expect(posted().args.text).toBe(
      'Release of web v2 to staging failed and was rolled back to web:41: SmokeTestFailedError: 1 of 1 smoke check failed',
    );
  });

  it('raises a failed rollback loudly: broadcast to the channel, manual action and both reasons', async () => {
    await notify({
      event: 'rollback-failed',
      deployment,
      error: lambdaError('StabilityTimeoutError', 'not stable by 10:40'),
      rollbackError: lambdaError('RollbackFailedError', 'StopServiceDeployment was refused'),
      notice: thread,
    });

    const call = posted();
    expect(call.args).toMatchObject({ thread_ts: thread.ts, reply_broadcast: true });
    expect(call.args.text).toContain('MANUAL ACTION NEEDED');
    expect(call.args.text).toContain('`sandbox/web` may still be running `web:42`');
    expect(call.args.text).toContain('StabilityTimeoutError: not stable by 10:40');
    expect(call.args.text).toContain('RollbackFailedError: StopServiceDeployment was refused');
    expect(call.all).toContain('<!here>');
  });

  it('posts a failed rollback to the channel itself when there is no thread', async () => {
    await notify({
      event: 'rollback-failed',
      deployment,
      rollbackError: lambdaError('RollbackFailedError', 'refused'),
    });

    expect(posted().args).toMatchObject({ channel: '#releases' });
    expect(posted().args.thread_ts).toBeUndefined();
    expect(posted().args.reply_broadcast).toBeUndefined();
  });

  it('keeps text from errors from becoming Slack markup', async () => {
    await notify({ event: 'failed', error: { Error: 'X', Cause: '<!channel> look at <http://evil|this> & that' } });

    const text = String(posted().args.text);
    expect(text).toContain('&lt;!channel&gt; look at &lt;http://evil|this&gt; &amp; that');
    expect(text).not.toContain('<!channel>');
  });

  it('reports a message Slack refused without failing, keeping the thread for the next one', async () => {
    slack.script(() => ({ body: { ok: false, error: 'channel_not_found' } }));

    const result = await notify({ event: 'succeeded', notice: thread });

    expect(result).toMatchObject({ delivered: false, ts: thread.ts });
    expect(result.reason).toContain('channel_not_found');
  });

  it('gives up quickly when Slack is rate limiting, instead of waiting it out', async () => {
    slack.script(() => ({ status: 429, headers: { 'retry-after': '120' } }));

    const started = Date.now();
    const result = await notify({ event: 'started' });

    expect(result).toMatchObject({ delivered: false, channel: '#releases' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('gives up within seconds when Slack cannot be reached', async () => {
    const down = await startSlackStub({ port: 0, token: TOKEN });
    await down.close();
    const unreachable = createSlackNotifier({
      client: createSlackClient({ slackApiUrl: down.apiUrl }),
      token: async () => TOKEN,
    });

    const started = Date.now();
    const result = await notifyRelease({ request, event: 'started' }, unreachable);

    expect(result.delivered).toBe(false);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports a token that cannot be read as not delivered, without calling Slack', async () => {
    const tokenless = createSlackNotifier({
      client: createSlackClient({ slackApiUrl: slack.apiUrl }),
      token: async () => {
        throw new Error('ParameterNotFound: /release-automation/slack/bot-token');
      },
    });

    const result = await notifyRelease({ request, event: 'started' }, tokenless);

    expect(result).toEqual({
      delivered: false,
      channel: '#releases',
      reason: 'ParameterNotFound: /release-automation/slack/bot-token',
    });
    expect(slack.calls).toHaveLength(0);
  });
});
