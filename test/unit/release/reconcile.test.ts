import { describe, expect, it } from '@jest/globals';
import type { Catalog } from '../../../src/catalog/index.ts';
import { catalogSchema } from '../../../src/catalog/schema.ts';
import { parseEcrPush } from '../../../src/release/events/ecr-push.ts';
import type { PushedImage } from '../../../src/release/ports/pushed-images.ts';
import type { ReconcileWindow } from '../../../src/release/ports/reconcile-mark.ts';
import type { StoredRelease, TargetLock } from '../../../src/release/ports/release-store.ts';
import { type ReconcilePorts, reconcilePushes } from '../../../src/release/reconcile.ts';
import { pushReleaseKey, releaseIdFor } from '../../../src/release/record.ts';
import { catalogEnvironment } from '../../support/plan-ports.ts';

// The push reconciler over local ports: ECR's images, the release records and
// locks it knows, the mark of its last run, and the executions it starts.

const NOW = new Date('2026-11-21T10:40:00.000Z');
// The last run ran ten minutes ago and looked at pushes up to 10:25: this one
// reads from 10:24:55 (clock skew) up to 10:35 (half the time since the last run is left to the events).
const LAST_RUN: ReconcileWindow = { until: '2026-11-21T10:25:00.000Z', ranAt: '2026-11-21T10:30:00.000Z' };
const digest = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;

const catalog = catalogSchema.parse({
  services: {
    web: {
      environments: {
        staging: catalogEnvironment({}),
        production: catalogEnvironment({ cluster: 'prod', tagFilter: { pattern: '^v\\d+\\.\\d+\\.\\d+$' } }),
      },
    },
    worker: {
      environments: {
        staging: catalogEnvironment({ service: 'worker', container: 'worker', tagFilter: { prefix: 'v' } }),
      },
    },
    api: { environments: { staging: catalogEnvironment({ service: 'api', repository: 'demo/api' }) } },
    docs: {
      github: { repository: 'example/docs' },
      environments: {
        production: catalogEnvironment({ service: 'docs', repository: 'demo/docs', trigger: 'github-release' }),
      },
    },
  },
});

const HOME = { account: '000000000000', region: 'us-east-1' };

/** An image stored in a registry (default: the automation's own). */
type StoredImage = PushedImage & { registry?: { account: string; region: string } };

const image = (n: number, tags: string[], pushedAt: string, repository = 'demo/web'): StoredImage => ({
  repository,
  digest: digest(n),
  tags,
  pushedAt,
});

/** Local ports: `images` is what ECR stores; the started executions, the reads and the mark are recorded. */
function world(
  images: StoredImage[],
  options: { mark?: ReconcileWindow; releases?: string[]; locks?: TargetLock[]; catalog?: Catalog } = {},
) {
  let mark = options.mark;
  const started: { name: string; event: Record<string, unknown> }[] = [];
  const reads: { repository: string; since: string; registry?: unknown }[] = [];
  const releases = new Set(options.releases ?? []);
  const ports: ReconcilePorts = {
    catalog: options.catalog ?? catalog,
    home: HOME,
    images: {
      pushedSince: async (registry, repository, since) => {
        reads.push({
          repository,
          since: since.toISOString(),
          ...(registry.account === HOME.account ? {} : { registry }),
        });
        const where = (found: StoredImage) => found.registry ?? HOME;
        return images
          .filter(
            (found) =>
              where(found).account === registry.account &&
              where(found).region === registry.region &&
              found.repository === repository &&
              Date.parse(found.pushedAt) >= since.getTime(),
          )
          .map(({ registry: _registry, ...pushed }) => pushed);
      },
    },
    store: {
      readRelease: async (releaseId) => (releases.has(releaseId) ? ({ releaseId } as StoredRelease) : undefined),
      readLock: async (lockKey) => options.locks?.find((lock) => lock.lockKey === lockKey),
    },
    mark: {
      read: async () => mark,
      write: async (until) => {
        mark = until;
      },
    },
    starter: {
      startPush: async (name, event) => {
        const again = started.some((start) => start.name === name);
        started.push({ name, event });
        return again ? 'ALREADY_STARTED' : 'STARTED';
      },
    },
    now: () => NOW,
  };
  return { ports, started, reads, mark: () => mark };
}

const targetsOf = (result: Awaited<ReturnType<typeof reconcilePushes>>) =>
  result.started.map((push) => [push.tag, push.targets]);

describe('reconcilePushes', () => {
  it('starts nothing when every push since the last run has its release', async () => {
    const pushed = image(1, ['v1.0.0'], '2026-11-21T10:27:00.000Z');
    const known = ['web-staging', 'web-production', 'worker-staging'].map(
      (name) => `${name}-${pushReleaseKey(pushed.digest)}`,
    );
    const { ports, started, mark } = world([pushed], { mark: LAST_RUN, releases: known });

    const result = await reconcilePushes(ports);

    expect(result.started).toEqual([]);
    expect(started).toEqual([]);
    expect(mark()).toEqual({ until: '2026-11-21T10:35:00.000Z', ranAt: NOW.toISOString() });
  });

  it('starts the release of a push no release knows, with the event the rule would have given, marked as its own', async () => {
    const pushed = image(2, ['v2'], '2026-11-21T10:27:31.517Z');
    const { ports, started } = world([pushed], { mark: LAST_RUN });

    const result = await reconcilePushes(ports);

    // v2 is outside production's semver pattern; worker's prefix takes it: one execution, two targets.
    expect(targetsOf(result)).toEqual([['v2', ['web/staging', 'worker/staging']]]);
    expect(started).toHaveLength(1);
    const [start] = started;
    expect(start?.name).toMatch(/^reconcile-[0-9a-f]{64}$/);
    const push = parseEcrPush(start?.event);
    expect(push).toEqual({
      eventId: start?.name,
      at: pushed.pushedAt,
      account: HOME.account,
      region: HOME.region,
      repository: 'demo/web',
      tag: 'v2',
      digest: pushed.digest,
      reconciled: true,
    });
  });

  it('looks at the newest image each target accepts, by its own tag filter', async () => {
    const { ports } = world(
      [
        image(3, ['v1.2.3'], '2026-11-21T10:26:00.000Z'),
        image(4, ['v1.3.0-rc1'], '2026-11-21T10:27:00.000Z'),
        image(5, ['nightly'], '2026-11-21T10:28:00.000Z'),
        image(6, ['latest'], '2026-11-21T10:29:00.000Z', 'demo/api'),
      ],
      { mark: LAST_RUN },
    );

    const result = await reconcilePushes(ports);

    expect(result.started.map((push) => [push.repository, push.tag, push.digest, push.targets])).toEqual([
      ['demo/web', 'nightly', digest(5), ['web/staging']],
      ['demo/web', 'v1.2.3', digest(3), ['web/production']],
      ['demo/web', 'v1.3.0-rc1', digest(4), ['worker/staging']],
      ['demo/api', 'latest', digest(6), ['api/staging']],
    ]);
  });

  it('checks the release id the event path derives (target + digest): a push released by its event is left alone', async () => {
    const pushed = image(7, ['v7'], '2026-11-21T10:27:00.000Z');
    const { ports } = world([pushed], {
      mark: LAST_RUN,
      releases: [releaseIdFor({ service: 'web', environment: 'staging' }, pushReleaseKey(pushed.digest))],
    });

    const result = await reconcilePushes(ports);

    expect(targetsOf(result)).toEqual([['v7', ['worker/staging']]]);
  });

  it("leaves a push alone when the target's lock knows one as new or newer", async () => {
    const pushed = image(8, ['v8'], '2026-11-21T10:27:00.000Z');
    const newer = { releaseId: 'web-staging-x', tag: 'v9', at: '2026-11-21T10:28:00Z' };
    const { ports } = world([pushed], {
      mark: LAST_RUN,
      locks: [{ lockKey: 'web#staging', latest: { ...newer, order: `2026-11-21T10:28:00.000Z#${digest(9)}#x` } }],
    });

    const result = await reconcilePushes(ports);

    expect(targetsOf(result)).toEqual([['v8', ['worker/staging']]]);
  });

  it('reads only what was pushed since its last run (5 s of clock skew before it), then moves the mark', async () => {
    const { ports, reads, mark } = world([image(9, ['v9'], '2026-11-21T10:10:00.000Z')], {
      mark: LAST_RUN,
    });

    const result = await reconcilePushes(ports);

    expect(result.started).toEqual([]);
    // Each repository a push releases, once; demo/docs is released from GitHub only.
    expect(reads).toEqual([
      { repository: 'demo/web', since: '2026-11-21T10:24:55.000Z' },
      { repository: 'demo/api', since: '2026-11-21T10:24:55.000Z' },
    ]);
    expect(mark()).toEqual({ until: '2026-11-21T10:35:00.000Z', ranAt: NOW.toISOString() });
  });

  it('leaves a push younger than half the time since the last run to its event; the next run looks at it', async () => {
    const young = image(13, ['v13'], '2026-11-21T10:36:00.000Z');
    const { ports, mark } = world([young], { mark: LAST_RUN });

    expect((await reconcilePushes(ports)).started).toEqual([]);
    const next = await reconcilePushes({ ...ports, now: () => new Date('2026-11-21T10:45:00.000Z') });

    expect(targetsOf(next)).toEqual([['v13', ['web/staging', 'worker/staging']]]);
    expect(mark()?.until).toBe('2026-11-21T10:42:30.000Z');
  });

  it('on its first run only marks where it stands: nothing pushed before the reconciler existed is released', async () => {
    const { ports, reads, started, mark } = world([image(10, ['v10'], '2026-11-21T10:39:00.000Z')]);

    const result = await reconcilePushes(ports);

    expect(result.started).toEqual([]);
    expect(reads).toEqual([]);
    expect(started).toEqual([]);
    expect(mark()).toEqual({ until: NOW.toISOString(), ranAt: NOW.toISOString() });
  });

  it('starts an image once however often it runs: the same execution name, so a second start is not a second release', async () => {
    const { ports, started } = world([image(11, ['v11'], '2026-11-21T10:27:00.000Z')], {
      mark: LAST_RUN,
    });

    await reconcilePushes(ports);
    // A retried schedule before the first release wrote its record reads the same window again.
    const again = await reconcilePushes({ ...ports, mark: { read: async () => LAST_RUN, write: async () => {} } });

    expect(started.map((start) => start.name)).toEqual([started[0]?.name, started[0]?.name]);
    expect(again.started.map((push) => push.outcome)).toEqual(['ALREADY_STARTED']);
  });

  it('keeps the mark where it was when a start fails, so the next run reads the window again', async () => {
    const { ports, mark } = world([image(12, ['v12'], '2026-11-21T10:27:00.000Z')], {
      mark: LAST_RUN,
    });
    const failing = { ...ports, starter: { startPush: async () => Promise.reject(new Error('throttled')) } };

    await expect(reconcilePushes(failing)).rejects.toThrow('throttled');
    expect(mark()).toEqual(LAST_RUN);
  });

  it("reads each registry's repository in that registry, and its synthetic push comes from there", async () => {
    const TOOLS = { account: '333333333333', region: 'eu-west-1' };
    const role = 'arn:aws:iam::333333333333:role/ecr-read';
    const tools = catalogSchema.parse({
      services: {
        web: {
          environments: {
            staging: catalogEnvironment({ registry: { ...TOOLS, roleArn: role } }),
            production: catalogEnvironment({ cluster: 'prod', registry: TOOLS }),
            dev: catalogEnvironment({ cluster: 'dev' }),
          },
        },
      },
    });
    // The same repository name in both registries: each image is released only to the environments stored there.
    const inTools = { ...image(14, ['v14'], '2026-11-21T10:27:00.000Z'), registry: TOOLS };
    const atHome = image(15, ['v15'], '2026-11-21T10:28:00.000Z');
    const { ports, started, reads } = world([inTools, atHome], { mark: LAST_RUN, catalog: tools });

    const result = await reconcilePushes(ports);

    // Read as the role the catalog names for the tools registry, whichever environment names it.
    expect(reads).toEqual([
      { repository: 'demo/web', since: '2026-11-21T10:24:55.000Z', registry: { ...TOOLS, roleArn: role } },
      { repository: 'demo/web', since: '2026-11-21T10:24:55.000Z' },
    ]);
    expect(result.started.map((push) => [push.registry, push.tag, push.targets])).toEqual([
      ['333333333333/eu-west-1', 'v14', ['web/staging', 'web/production']],
      ['000000000000/us-east-1', 'v15', ['web/dev']],
    ]);
    expect(
      started.map((start) => parseEcrPush(start.event)).map(({ account, region, tag }) => [account, region, tag]),
    ).toEqual([
      ['333333333333', 'eu-west-1', 'v14'],
      ['000000000000', 'us-east-1', 'v15'],
    ]);
  });
});
