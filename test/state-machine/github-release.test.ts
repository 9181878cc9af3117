import { describe, expect, it } from '@jest/globals';
import { gitHubReleaseEvent } from './events.ts';
import { record, slackEvents, THROUGH_DEPLOY, useReleaseMachine, uuid } from './release-machine.ts';
import { startSandboxHarness } from './sandbox-harness.ts';

// A published GitHub release (the event github-webhook puts on the project's
// bus) through state-machines/release.asl.yml: its tag names the image, which
// is released by digest to the environments released from that repository.
// ECS and ECR are the sandbox's: web (staging) and web-production run demo/web.

const harness = useReleaseMachine({
  start: (environment) =>
    startSandboxHarness(environment, [
      { service: 'web', repository: 'demo/web' },
      { service: 'web-production', repository: 'demo/web' },
    ]),
});

describe('release state machine, from a GitHub release', () => {
  it('releases the image its tag names, by digest, to the github-release environment only, carrying the GitHub facts', async () => {
    const pushed = await harness.push('demo/web', 'v40');
    const updatesBefore = harness.requests('UpdateService').length;

    const run = await harness.run(gitHubReleaseEvent({ deliveryId: uuid(40), gitHubReleaseId: 40, tag: 'v40' }));

    expect(run.status).toBe('SUCCEEDED');
    expect(run.states.slice(0, THROUGH_DEPLOY.length)).toEqual(THROUGH_DEPLOY);
    // web/staging takes pushes only: one release.
    expect(run.releases).toEqual([expect.objectContaining({ service: 'web', environment: 'production' })]);
    expect(harness.requests('UpdateService').length - updatesBefore).toBe(1);
    expect(await harness.liveImage('web-production')).toBe(pushed.imageUri);
    expect(await record('web-production-github-40')).toMatchObject({
      outcome: 'SUCCEEDED',
      tag: 'v40',
      digest: pushed.imageDigest,
      trigger: { source: 'github-release', eventId: 'github-40' },
      source: {
        kind: 'github-release',
        repository: 'example/web',
        tag: 'v40',
        commit: '9f2c3a1e0b8d4c6f7a5e3d2c1b0a9f8e7d6c5b4a',
        author: 'octocat',
        url: 'https://github.com/example/web/releases/tag/v2',
        deliveryId: uuid(40),
      },
    });
    expect(slackEvents()[0]).toContain('GitHub release v40');
  });

  it('makes one release of a delivery GitHub redelivers', async () => {
    await harness.push('demo/web', 'v41');
    const updatesBefore = harness.requests('UpdateService').length;
    const event = gitHubReleaseEvent({ deliveryId: uuid(41), tag: 'v41' });

    const first = await harness.run(event);
    // A redelivery is a new EventBridge event with the same delivery id.
    const again = await harness.run({ ...event, id: uuid(141) });

    expect(first.status).toBe('SUCCEEDED');
    expect(again.status).toBe('SUCCEEDED');
    expect(again.releases).toEqual([expect.objectContaining({ outcome: 'DUPLICATE' })]);
    expect(harness.requests('UpdateService').length - updatesBefore).toBe(1);
  });

  it('makes one release of a GitHub release sent again under other delivery ids (X-GitHub-Delivery is not signed)', async () => {
    await harness.push('demo/web', 'v45');
    const updatesBefore = harness.requests('UpdateService').length;
    const event = gitHubReleaseEvent({ deliveryId: 'replay-1', gitHubReleaseId: 45, tag: 'v45' });
    const detail = event.detail as Record<string, unknown>;

    const runs = [];
    for (const [n, deliveryId] of ['replay-1', 'replay-1', 'replay-2', 'replay-3'].entries()) {
      runs.push(await harness.run({ ...event, id: uuid(450 + n), detail: { ...detail, deliveryId } }));
    }

    const ended = (outcome: string) => [expect.objectContaining({ outcome })];
    expect(runs.map((run) => run.releases)).toEqual([
      ended('SUCCEEDED'),
      ended('DUPLICATE'),
      ended('DUPLICATE'),
      ended('DUPLICATE'),
    ]);
    expect(harness.requests('UpdateService').length - updatesBefore).toBe(1);
    expect(await record('web-production-github-45')).toMatchObject({ outcome: 'SUCCEEDED', tag: 'v45' });
  });

  it('fails a release whose tag names no image, deploying nothing and saying why in Slack', async () => {
    const updatesBefore = harness.requests('UpdateService').length;

    const run = await harness.run(
      gitHubReleaseEvent({ deliveryId: uuid(42), gitHubReleaseId: 42, tag: 'v42-unpushed' }),
    );

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('ReleaseFailed');
    expect(run.states).toEqual([
      'Planned',
      'Plan',
      'AnythingToRelease',
      'AnnounceRefused',
      'NotifyRefused',
      'ReleaseFailed',
    ]);
    expect(harness.requests('UpdateService').length).toBe(updatesBefore);
    expect(await record('web-production-github-42')).toBeUndefined();
    expect(harness.slack.calls).toEqual([
      expect.objectContaining({
        args: expect.objectContaining({
          channel: '#production',
          text: expect.stringContaining('no image demo/web:v42-unpushed in the registry'),
        }),
      }),
    ]);
  });

  it('still fails, without Slack, when the refusal cannot be announced', async () => {
    harness.slackDown(true);

    const run = await harness.run(gitHubReleaseEvent({ deliveryId: uuid(43), tag: 'v43-unpushed' }));

    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('ReleaseFailed');
    expect(harness.slackRefused()).toBeGreaterThan(0);
  });

  it('releases nothing for a pre-release where no environment takes them', async () => {
    await harness.push('demo/web', 'v44-rc1');
    const updatesBefore = harness.requests('UpdateService').length;

    const run = await harness.run(gitHubReleaseEvent({ deliveryId: uuid(44), tag: 'v44-rc1', prerelease: true }));

    expect(run.status).toBe('SUCCEEDED');
    expect(run.states).toEqual(['Planned', 'Plan', 'AnythingToRelease', 'NothingToRelease']);
    expect(harness.requests('UpdateService').length).toBe(updatesBefore);
  });
});
