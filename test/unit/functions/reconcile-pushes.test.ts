import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { createReconcilePushesHandler } from '../../../functions/reconcile-pushes/handler.ts';
import { catalogSchema } from '../../../src/catalog/schema.ts';
import type { ReconcilePorts } from '../../../src/release/index.ts';
import { fakeLambdaContext } from '../../support/fake-lambda-context.ts';
import { catalogEnvironment, FIXTURE_HOME } from '../../support/plan-ports.ts';

// The scheduled handler: one reconcile run per invocation, each push it had to
// release logged as a warning (a lost event is worth knowing about).

afterEach(() => {
  jest.restoreAllMocks();
});

const digest = `sha256:${'a'.repeat(64)}`;
const ports = (): ReconcilePorts => ({
  catalog: catalogSchema.parse({ services: { web: { environments: { staging: catalogEnvironment({}) } } } }),
  home: FIXTURE_HOME,
  images: {
    pushedSince: async () => [{ repository: 'demo/web', digest, tags: ['v2'], pushedAt: '2026-11-21T10:27:00.000Z' }],
  },
  store: { readRelease: async () => undefined, readLock: async () => undefined },
  mark: {
    read: async () => ({ until: '2026-11-21T10:25:00.000Z', ranAt: '2026-11-21T10:30:00.000Z' }),
    write: async () => {},
  },
  starter: { startPush: async () => 'STARTED' },
  now: () => new Date('2026-11-21T10:40:00.000Z'),
});

describe('reconcile-pushes handler', () => {
  it('runs one reconcile and warns of each push whose event never came', async () => {
    const logger = new Logger({ serviceName: 'reconcilePushes' });
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => {});
    jest.spyOn(logger, 'info').mockImplementation(() => {});
    const seen: string[] = [];
    const handler = createReconcilePushesHandler({
      ports: (context) => {
        seen.push(context.functionName);
        return ports();
      },
      logger,
    });

    const result = await handler({}, fakeLambdaContext('release-automation-dev-reconcilePushes'));

    expect(seen).toEqual(['release-automation-dev-reconcilePushes']);
    expect(result.started.map((push) => [push.tag, push.targets, push.outcome])).toEqual([
      ['v2', ['web/staging'], 'STARTED'],
    ]);
    expect(warn).toHaveBeenCalledWith(
      'push released by the reconciler: its event never came',
      expect.objectContaining({ repository: 'demo/web', tag: 'v2', digest }),
    );
  });
});
