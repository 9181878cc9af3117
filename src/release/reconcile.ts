import { createHash } from 'node:crypto';
import { acceptsTag, type Catalog, placementName } from '../catalog/index.ts';
import type { Home, TargetAccess } from '../platform/target-access.ts';
import type { PushedImage, PushedImages } from './ports/pushed-images.ts';
import type { ReconcileMark } from './ports/reconcile-mark.ts';
import type { ReleaseStore } from './ports/release-store.ts';
import type { PushStarter, StartOutcome } from './ports/workflow.ts';
import { pushReleaseKey, releaseIdFor, targetKey } from './record.ts';
import { type CatalogEntry, pushedEntries, registryAccess } from './targets.ts';

// ECR's push events are best effort (EventBridge's own rating): a lost one
// would leave a push unreleased, silently. The reconciler reads what ECR
// stored since its last run and starts the release of any target's newest
// image that no release record or lock knows. It names that release as the
// event path does (target + digest: pushReleaseKey), and its execution by the
// image, so a late event, a second run and a retried run all end as one release.
//
// A push younger than half the time since the last run is left to its event,
// which is most likely on its way (events arrive within seconds): the next run
// looks at it. Measured from the runs themselves, that grace follows the
// schedule whatever its period (the sandbox's clock runs faster). A first run
// (no mark: a new install, or a lost mark) only marks where it stands: it
// never releases what was pushed before the reconciler existed.

/** What the push reconciler reads and starts through. */
export interface ReconcilePorts {
  catalog: Catalog;
  /** The automation's own account and region: the registry of an environment that names none. */
  home: Home;
  images: PushedImages;
  store: Pick<ReleaseStore, 'readRelease' | 'readLock'>;
  mark: ReconcileMark;
  starter: PushStarter;
  now: () => Date;
}

/** A release the reconciler started (or found started), for the log. */
export interface ReconciledPush {
  /** `333333333333/us-east-1`: the registry's account and region. */
  registry: string;
  repository: string;
  tag: string;
  digest: string;
  pushedAt: string;
  /** The catalog targets (`service/environment`) that had no release of it. */
  targets: string[];
  execution: string;
  outcome: StartOutcome;
}

/** What one run did: the window it read (none on a first run) and the releases it started. */
export interface ReconcileResult {
  since?: string;
  until: string;
  started: ReconciledPush[];
}

// ECR's clock and Lambda's agree to well under this; reading a little before
// the mark never misses a push ECR dated just before the last run's cutoff.
const CLOCK_SKEW_MS = 5_000;

/** Looks at every push since the last run and starts the release of each one no release or lock knows, exactly once. */
export async function reconcilePushes(ports: ReconcilePorts): Promise<ReconcileResult> {
  const now = ports.now();
  const mark = await ports.mark.read();
  if (mark === undefined) {
    await ports.mark.write({ until: now.toISOString(), ranAt: now.toISOString() });
    return { until: now.toISOString(), started: [] };
  }
  const since = new Date(Date.parse(mark.until) - CLOCK_SKEW_MS);
  const until = new Date(now.getTime() - Math.max(0, now.getTime() - Date.parse(mark.ranAt)) / 2);

  const missed = new Map<string, { registry: TargetAccess; image: PushedImage; tag: string; targets: string[] }>();
  for (const { registry, repository, entries } of byRepository(pushedEntries(ports.catalog), ports.home)) {
    const images = (await ports.images.pushedSince(registry, repository, since)).filter(
      (image) => Date.parse(image.pushedAt) < until.getTime(),
    );
    for (const entry of entries) {
      const newest = newestAccepted(images, entry);
      if (newest === undefined || (await isKnown(ports.store, entry, newest.image))) continue;
      const key = `${placementName(registry)}/${repository}@${newest.image.digest}:${newest.tag}`;
      const push = missed.get(key) ?? { registry, ...newest, targets: [] };
      push.targets.push(`${entry.service}/${entry.environment}`);
      missed.set(key, push);
    }
  }
  const started: ReconciledPush[] = [];
  for (const [key, { registry, image, tag, targets }] of missed) {
    const execution = executionName(key);
    const outcome = await ports.starter.startPush(execution, pushEvent(registry, image, tag, execution));
    started.push({
      registry: placementName(registry),
      repository: image.repository,
      tag,
      digest: image.digest,
      pushedAt: image.pushedAt,
      targets,
      execution,
      outcome,
    });
  }
  // Only after every start: a run that fails part way is read again, whole, by the next one.
  await ports.mark.write({ until: until.toISOString(), ranAt: now.toISOString() });
  return { since: since.toISOString(), until: until.toISOString(), started };
}

/** The entries of each repository in each registry, read as the first role the catalog names for that registry. */
function byRepository(
  entries: CatalogEntry[],
  home: Home,
): { registry: TargetAccess; repository: string; entries: CatalogEntry[] }[] {
  const grouped = new Map<string, { registry: TargetAccess; repository: string; entries: CatalogEntry[] }>();
  for (const entry of entries) {
    const registry = registryAccess(entry.config, home);
    const key = `${placementName(registry)}/${entry.config.repository}`;
    const group = grouped.get(key) ?? { registry, repository: entry.config.repository, entries: [] };
    if (group.registry.roleArn === undefined) group.registry = registry;
    group.entries.push(entry);
    grouped.set(key, group);
  }
  return [...grouped.values()];
}

/** The newest image (by push time, then digest) with a tag the entry's filter accepts, and that tag. */
function newestAccepted(images: PushedImage[], entry: CatalogEntry): { image: PushedImage; tag: string } | undefined {
  let newest: { image: PushedImage; tag: string } | undefined;
  for (const image of images) {
    const tag = [...image.tags].sort().find((candidate) => acceptsTag(entry.config.tagFilter, candidate));
    if (tag === undefined) continue;
    const order = `${new Date(image.pushedAt).toISOString()}#${image.digest}`;
    const best = newest && `${new Date(newest.image.pushedAt).toISOString()}#${newest.image.digest}`;
    if (best === undefined || order > best) newest = { image, tag };
  }
  return newest;
}

/** Whether a release of this image exists, or the target's lock knows a push as new or newer (then this one would only be superseded). */
async function isKnown(store: ReconcilePorts['store'], entry: CatalogEntry, image: PushedImage): Promise<boolean> {
  if ((await store.readRelease(releaseIdFor(entry, pushReleaseKey(image.digest)))) !== undefined) return true;
  const latest = (await store.readLock(targetKey(entry)))?.latest;
  // A push's order starts with its instant, normalised: string order is time order (push-order.ts).
  const latestInstant = latest?.order.split('#')[0];
  return latestInstant !== undefined && latestInstant >= new Date(image.pushedAt).toISOString();
}

/** The execution's name: the image and tag, hashed (names are 80 characters of [A-Za-z0-9_-] and unique for 90 days). */
function executionName(key: string): string {
  return `reconcile-${createHash('sha256').update(key).digest('hex')}`;
}

/** The ECR push event the rule would have delivered, from the registry's account and region, marked as the reconciler's and dated by ECR's push time. */
function pushEvent(
  registry: TargetAccess,
  image: PushedImage,
  tag: string,
  execution: string,
): Record<string, unknown> {
  return {
    version: '0',
    id: execution,
    'detail-type': 'ECR Image Action',
    source: 'aws.ecr',
    account: registry.account,
    time: new Date(image.pushedAt).toISOString(),
    region: registry.region,
    resources: [],
    'release-automation': { startedBy: 'reconciler' },
    detail: {
      result: 'SUCCESS',
      'repository-name': image.repository,
      'image-digest': image.digest,
      'action-type': 'PUSH',
      'image-tag': tag,
    },
  };
}
