import { describe, expect, it } from '@jest/globals';
import { catalogSchema } from '../../../src/catalog/schema.ts';
import type { StoredRelease } from '../../../src/release/index.ts';
import { parseChatCommand } from '../../../src/slack/command.ts';
import { type ChatCommandPorts, runChatCommand } from '../../../src/slack/run-command.ts';
import { catalogEnvironment } from '../../support/plan-ports.ts';

const NOW = new Date('2026-12-01T00:00:00.000Z');

const stored = (releaseId: string, endedAt: string, outcome: StoredRelease['outcome']): StoredRelease => ({
  releaseId,
  executionId: `exec-${releaseId}`,
  target: 'web#staging',
  service: 'web',
  environment: 'staging',
  trigger: { source: 'ecr-push', eventId: releaseId, at: '2026-11-20T09:00:00.000Z' },
  repository: 'demo/web',
  tag: releaseId,
  digest: `sha256:${releaseId}`,
  image: `demo/web@sha256:${releaseId}`,
  startedAt: '2026-11-20T09:00:05.000Z',
  endedAt,
  outcome,
});

const ports = (records: StoredRelease[]) =>
  ({
    catalog: catalogSchema.parse({
      services: { web: { environments: { staging: catalogEnvironment({}) } } },
    }),
    releases: { listReleases: async () => records },
    now: () => NOW,
  }) as unknown as ChatCommandPorts;

describe('/release metrics', () => {
  it('parses with or without a service', () => {
    expect(parseChatCommand('metrics')).toEqual({ kind: 'metrics' });
    expect(parseChatCommand('metrics web')).toEqual({ kind: 'metrics', service: 'web' });
    expect(parseChatCommand('metrics web shop').kind).toBe('invalid');
  });

  it('answers with the four keys of each environment and their bands', async () => {
    const reply = await runChatCommand(
      { text: 'metrics web', user: 'U0ANY', requestId: 'q1' },
      ports([
        stored('v2', '2026-11-20T09:05:00.000Z', 'SUCCEEDED'),
        stored('v3', '2026-11-20T10:00:00.000Z', 'ROLLED_BACK'),
      ]),
    );
    expect(reply.text).toContain('web/staging (30 d: 2 deployments, 1 succeeded, 1 failed)');
    expect(reply.text).toContain('change failure rate   50.0% (1 of 2)  [low]');
    expect(reply.text).toContain('lead time');
    expect(reply.public).toBeUndefined();
  });

  it('names an unknown service and says when there is nothing', async () => {
    expect((await runChatCommand({ text: 'metrics nope', user: 'U', requestId: 'q' }, ports([]))).text).toContain(
      'Unknown service',
    );
    expect((await runChatCommand({ text: 'metrics', user: 'U', requestId: 'q' }, ports([]))).text).toContain(
      'No releases in the last 30 days.',
    );
  });
});
