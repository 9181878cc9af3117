import type { ReleaseRequest } from '../../src/release/release.ts';

/**
 * A plan result's release request of web (staging unless told), pushed at `at`
 * (stored by the registry at `pushedAt`, by default the same instant), as the
 * state machine passes it on.
 */
export function releaseRequest(
  overrides: {
    tag?: string;
    at?: string;
    pushedAt?: string;
    digest?: string;
    environment?: string;
    noop?: string;
    lockWaitDeadline?: string;
  } = {},
): ReleaseRequest {
  const tag = overrides.tag ?? 'v2';
  const at = overrides.at ?? '2026-11-21T10:15:30Z';
  const environment = overrides.environment ?? 'staging';
  const digest = overrides.digest ?? `sha256:${Buffer.from(tag).toString('hex').padEnd(64, '0').slice(0, 64)}`;
  return {
    releaseId: `web-${environment}-${tag}-${at}`,
    target: {
      service: 'web',
      environment,
      cluster: 'sandbox',
      ecsService: 'web',
      container: 'web',
      strategy: 'rolling',
      smoke: [
        {
          name: 'home',
          url: 'http://127.0.0.1:8080/',
          method: 'GET',
          expectStatus: 200,
          timeoutSeconds: 5,
          attempts: 3,
          retryDelaySeconds: 2,
        },
      ],
      stabilityDeadlineSeconds: 600,
      slackChannel: '#releases',
      // Plan's: the automation's own account and region.
      access: { account: '123456789012', region: 'us-east-1' },
    },
    image: {
      repository: 'demo/web',
      tag,
      digest,
      uri: `123456789012.dkr.ecr.us-east-1.amazonaws.com/demo/web@${digest}`,
      pushedAt: overrides.pushedAt ?? new Date(at).toISOString(),
    },
    trigger: { source: 'ecr-push', eventId: `event-${tag}`, at },
    currentTaskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:41',
    ...(overrides.noop ? { noop: overrides.noop } : {}),
    lockWaitDeadline: overrides.lockWaitDeadline ?? '2026-11-21T11:15:30Z',
  };
}
