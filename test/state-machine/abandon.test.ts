import { readFileSync } from 'node:fs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoReleaseStore } from '../../src/release/adapters/release-store.ts';
import { pushReleaseKey, releaseRecordFor } from '../../src/release/record.ts';
import type { ReleaseRequest } from '../../src/release/release.ts';
import { commandEvent, replyOf } from '../support/slack-events.ts';
import { gitHubReleaseEvent } from './events.ts';
import type { ReleaseRun } from './harness.ts';
import { expireLock, lock, record, useReleaseMachine, uuid } from './release-machine.ts';
import { startSandboxHarness } from './sandbox-harness.ts';

// A release execution stopped from outside (StopExecution, its timeout, a
// failure no Catch saw) runs none of its own last states, whatever started it:
// an ECR push, a GitHub release, or `/release deploy`, `rollback` or
// `deploy --hotfix` in Slack. Each is run through the real release.asl.yml,
// stopped while it holds its target, and then handed to the real `abandon`
// with the status change event Step Functions sends: the record ends ABANDONED
// with why, the target is free for the next release at once, and the
// manual-action alert goes to the target's channel. ECS and ECR are the
// sandbox's: a deployment takes longer than the first stability poll's wait.

const harness = useReleaseMachine({
  start: async (environment) => {
    const started = await startSandboxHarness(environment, [
      { service: 'web', repository: 'demo/web' },
      { service: 'web-production', repository: 'demo/web' },
      { service: 'gate', repository: 'demo/gate' },
    ]);
    // The tags the Slack commands below deploy.
    for (const tag of ['v5', 'v6', 'v7']) await started.push('demo/gate', tag);
    return started;
  },
});
afterEach(async () => {
  for (const key of ['web#staging', 'web#production', 'gate#production']) await expireLock(key);
});

const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:release-automation-dev-release:';
const statusChangeSample = JSON.parse(
  readFileSync(new URL('../../events/aws.states/execution-aborted.json', import.meta.url), 'utf8'),
) as { detail: Record<string, unknown> };

interface Stop {
  /** The Task state the execution is stopped at (its Lambda already invoked, as a StopExecution mid-task). */
  at: string;
  status?: 'ABORTED' | 'TIMED_OUT' | 'FAILED';
  error?: string;
  cause?: string;
}

let executions = 0;

/** Runs `input` until it enters `stop.at`, stops it there, and hands abandon the status change event that follows. */
async function stopThenAbandon(input: unknown, stop: Stop): Promise<string> {
  const { name } = await runUntil(input, stop.at);
  const status = stop.status ?? 'ABORTED';
  const event = structuredClone(statusChangeSample);
  event.detail = {
    ...event.detail,
    executionArn: `${EXECUTION}${name}`,
    name,
    status,
    stopDate: Date.now(),
    input: JSON.stringify(input),
    error: stop.error ?? 'Operator.Stopped',
    cause: stop.cause ?? 'stopped from the console',
  };
  await harness.invoke('abandon', event);
  return name;
}

/** Runs `input` and stops the execution as it enters `state` (the state's Lambda still runs, as it would in AWS). */
async function runUntil(input: unknown, state: string): Promise<ReleaseRun & { name: string }> {
  executions++;
  const name = `stopped-${executions}`;
  let abort: () => void = () => undefined;
  const run = await harness.run(input, {
    executionName: name,
    started: (stopIt) => {
      abort = stopIt;
    },
    beforeTask: (entered) => {
      if (entered === state) abort();
    },
  });
  return { ...run, name };
}

/** The manual-action alerts posted since the test began. */
const alerts = () =>
  harness.slack.calls.filter(
    (m) => m.method === 'chat.postMessage' && String(m.args.text).startsWith('MANUAL ACTION NEEDED'),
  );

interface Abandoned {
  releaseId: string;
  lockKey: string;
  /** The stopped execution's name. */
  execution: string;
  why: RegExp;
  channel: string;
  /** What the alert names: `service tag to environment`. */
  subject: string;
}

/** Checks what abandon must leave: the record ended with why, the target free, one alert in its channel. */
async function expectAbandoned({ releaseId, lockKey, execution, why, channel, subject }: Abandoned) {
  expect(await record(releaseId)).toMatchObject({
    outcome: 'ABANDONED',
    executionId: `${EXECUTION}${execution}`,
    endedAt: expect.any(String),
    reason: expect.stringMatching(why),
  });
  expect(await lock(lockKey)).not.toHaveProperty('holder');
  expect(alerts()).toHaveLength(1);
  expect(alerts()[0]?.args.channel).toBe(channel);
  expect(String(alerts()[0]?.args.text)).toContain(`the release of ${subject} was stopped before it finished`);
}

let slackTimestamp = 0;

/** A Slack user's `/release …`, through the real slack-command: the execution input it started, and its release. */
async function slash(
  line: string,
  user: string,
): Promise<{ input: unknown; request: ReleaseRequest; releaseId: string }> {
  // Each request a second of its own (a Slack release's id is its request's timestamp and user), in the recent past.
  slackTimestamp = Math.max(slackTimestamp + 1, Math.floor(Date.now() / 1000) - 120);
  const before = harness.started.length;
  const reply = replyOf(
    await harness.invoke('slackCommand', commandEvent(line, user, harness.signingSecret, slackTimestamp)),
  );
  expect(harness.started).toHaveLength(before + 1);
  const input = harness.started.at(-1) as { releases: ReleaseRequest[] };
  const [request] = input.releases;
  if (!request) throw new Error(`${line} planned no release: ${reply.text}`);
  expect(reply.text).toContain(request.releaseId);
  return { input, request, releaseId: request.releaseId };
}

/** The claim of a release that proceeded at once: never waited for the target. */
const claimedAtOnce = (run: ReleaseRun) => {
  expect(run.states).toContain('NotifyStarted');
  expect(run.states).not.toContain('WaitForTarget');
};

describe('abandon, for every kind of release input', () => {
  it('ends a release started by an ECR push, stopped mid-deployment', async () => {
    const pushed = await harness.push('demo/web', 'v3');
    const name = await stopThenAbandon(pushed.event, { at: 'AwaitStability' });

    await expectAbandoned({
      releaseId: `web-staging-${pushReleaseKey(pushed.imageDigest)}`,
      lockKey: 'web#staging',
      execution: name,
      why: /^execution stopped-\d+ ABORTED at .* before the release finished \(Operator\.Stopped: stopped from the console\)$/,
      channel: '#releases',
      subject: 'web v3 to staging',
    });
    const next = await harness.run((await harness.push('demo/web', 'v4')).event);
    claimedAtOnce(next);
    expect(next.status).toBe('SUCCEEDED');
  });

  it('ends a release started by a GitHub release, timed out mid-deployment', async () => {
    const gitHubReleaseId = 1403;
    await harness.push('demo/web', 'v43');
    const name = await stopThenAbandon(gitHubReleaseEvent({ deliveryId: uuid(1403), gitHubReleaseId, tag: 'v43' }), {
      at: 'AwaitStability',
      status: 'TIMED_OUT',
      error: 'States.Timeout',
      cause: 'the execution ran longer than its TimeoutSeconds',
    });

    await expectAbandoned({
      // GitHub's own id of the release names it, not the (unsigned) delivery id.
      releaseId: `web-production-github-${gitHubReleaseId}`,
      lockKey: 'web#production',
      execution: name,
      why: /TIMED_OUT .* \(States\.Timeout: the execution ran longer than its TimeoutSeconds\)$/,
      channel: '#production',
      subject: 'web v43 to production',
    });
    await harness.push('demo/web', 'v45');
    const next = await harness.run(gitHubReleaseEvent({ deliveryId: uuid(1404), tag: 'v45' }));
    claimedAtOnce(next);
    expect(next.status).toBe('SUCCEEDED');
  });

  it('ends a release `/release deploy` started, stopped while it waited for its approval', async () => {
    const { input, releaseId } = await slash('/release deploy gate v5', 'U0DEPLOYER');
    await abandonedAtApproval({ input, releaseId, line: '/release deploy gate v5', user: 'U0DEPLOYER' });
  });

  it('ends a release `/release rollback` started, stopped while it waited for its approval', async () => {
    // The last good release of gate/production, which rollback goes back to.
    const good = await slash('/release deploy gate v6', 'U0DEPLOYER');
    await storeSucceeded(good.request);

    const { input, releaseId } = await slash('/release rollback gate', 'U0APPROVER');
    expect(input).toMatchObject({ releases: [{ image: { tag: 'v6' }, hotfix: true }] });
    await abandonedAtApproval({
      input,
      releaseId,
      line: '/release rollback gate',
      user: 'U0APPROVER',
      subject: 'gate v6',
    });
  });

  it('ends a hotfix `/release deploy --hotfix` started, failed where no Catch saw it', async () => {
    const { input, releaseId } = await slash('/release deploy gate v7 --hotfix', 'U0DEPLOYER');
    expect(input).toMatchObject({ releases: [{ hotfix: true }] });
    await abandonedAtApproval({
      input,
      releaseId,
      line: '/release deploy gate v7 --hotfix',
      user: 'U0DEPLOYER',
      end: { status: 'FAILED', error: 'States.Runtime', cause: 'An error occurred while executing the state' },
      why: /^execution stopped-\d+ FAILED .*States\.Runtime/,
    });
  });
});

/**
 * A release of gate/production `/release <line>` started, ended by `end` (stopped, by default) while it waited
 * for its approval: abandoned, told in #releases, its lock let go, so the same command claims at once.
 */
async function abandonedAtApproval({
  input,
  releaseId,
  line,
  user,
  end = {},
  why = /^execution stopped-\d+ ABORTED .*Operator\.Stopped/,
  subject = `gate ${line.split(' ')[3] ?? ''}`,
}: {
  input: unknown;
  releaseId: string;
  line: string;
  user: string;
  end?: Omit<Stop, 'at'>;
  why?: RegExp;
  subject?: string;
}) {
  const name = await stopThenAbandon(input, { at: 'RequestApproval', ...end });
  await expectAbandoned({
    releaseId,
    lockKey: 'gate#production',
    execution: name,
    why,
    channel: '#releases',
    subject: `${subject} to production`,
  });
  const next = await slash(line, user);
  claimedAtOnce(await runUntil(next.input, 'RequestApproval'));
}

/** Stores `request` as a release that succeeded: the last good release a rollback goes back to. */
async function storeSucceeded(request: ReleaseRequest) {
  const store = createDynamoReleaseStore({
    client: DynamoDBDocumentClient.from(harness.dynamodb),
    releasesTable: harness.tables.RELEASES_TABLE ?? '',
    locksTable: harness.tables.LOCKS_TABLE ?? '',
  });
  const endedAt = new Date().toISOString();
  await store.createRelease({
    ...releaseRecordFor(request, `${EXECUTION}earlier`, request.trigger.at),
    outcome: 'SUCCEEDED',
    endedAt,
  });
}
