import { type Catalog, catalogTarget, resolvePlacement, type ScanPolicy } from '../catalog/index.ts';
import {
  ContainerNotFoundError,
  InvalidInputError,
  ServiceNotFoundError,
  TargetAccessError,
} from '../platform/errors.ts';
import { describeAccess, type Home } from '../platform/target-access.ts';
import { lockLeaseSeconds } from './claim.ts';
import { alreadyLive, readLiveRevision } from './live-revision.ts';
import type { EcsPort } from './ports/ecs.ts';
import type { RegistryPort } from './ports/registry.ts';
import type { ScanFindingsPort } from './ports/scan-findings.ts';
import type { PortFor, ReachCheck } from './ports/targets.ts';
import { FUTURE_TOLERANCE_MS, isAheadOfClock, isFirstPush } from './push-order.ts';
import { pushReleaseKey, releaseIdFor } from './record.ts';
import type {
  GitHubReleaseSource,
  ImageRef,
  PlanResult,
  RefusedTarget,
  ReleaseRequest,
  ReleaseTarget,
  Trigger,
} from './release.ts';
import { type ScanSummary, scanGate } from './scan-gate.ts';
import { findTargets } from './targets.ts';

/** A successful image push, as planning needs it (the ECR event, validated). */
export interface ImagePush {
  /** The EventBridge event id: the same for a redelivered event. */
  eventId: string;
  /** Set when the push reconciler, not ECR's event, reports the push. */
  reconciled?: true;
  /** When the push happened (ISO 8601). */
  at: string;
  /** The registry's account and region (the event's envelope); absent in inputs from before accounts: the automation's own. */
  account?: string;
  region?: string;
  repository: string;
  /** Absent for pushes by digest only (e.g. the per-platform manifests of a multi-arch image). */
  tag?: string;
  digest?: string;
}

/**
 * What planning reads: the catalog, ECS where each target lives (and whether its role can be
 * assumed), the registry, the image's scan findings, the automation's own account and region, the clock.
 */
export interface PlanPorts {
  catalog: Catalog;
  ecsFor: PortFor<Pick<EcsPort, 'describeService' | 'describeTaskDefinition'>>;
  reach: ReachCheck;
  /** The automation's own account and region: where a catalog entry naming neither, and its registry, live. */
  home: Home;
  registry: RegistryPort;
  scans: ScanFindingsPort;
  now: () => Date;
}

// How long a release may wait for another release of the same target: all of
// that one's lease (so a holder that is still legitimately running is never
// given up on), and the time to notice it ended.
const LOCK_POLL_MARGIN_SECONDS = 300;
/** How long a release of `target` may wait for its lock. */
export const lockWaitSeconds = (target: ReleaseTarget) => lockLeaseSeconds(target) + LOCK_POLL_MARGIN_SECONDS;

/** The releases one image push asks for: one per catalog target its repository and tag feed, each pinned by digest. */
export async function planRelease(push: ImagePush, ports: PlanPorts): Promise<PlanResult> {
  const now = ports.now();
  if (isAheadOfClock(push.at, now)) {
    throw new InvalidInputError(
      `the push of ${push.repository} (event ${push.eventId}) is dated ${push.at}, more than ${FUTURE_TOLERANCE_MS / 60_000} minutes after now (${now.toISOString()}); a push cannot come from the future`,
    );
  }
  if (push.tag === undefined) {
    return refusal(
      `the push to ${push.repository} has no tag (${push.digest ?? 'no digest'}); only tagged images are released`,
    );
  }
  // A tag names whatever was pushed last: only the digest says which image this push was.
  if (push.digest === undefined) {
    return refusal(
      `the push of ${push.repository}:${push.tag} has no image digest; only images pinned by digest are released`,
    );
  }
  const from = { account: push.account ?? ports.home.account, region: push.region ?? ports.home.region };
  const lookup = findTargets(ports.catalog, { repository: push.repository, tag: push.tag, registry: from }, ports.home);
  if (lookup.refused !== undefined) return refusal(lookup.refused);
  // The image is read where it was pushed, as the role the catalog names for that registry, in a session named by the event.
  const read = {
    ...ports,
    registry: ports.registry.at(lookup.registry, push.eventId),
    scans: ports.scans.at(lookup.registry, push.eventId),
  };

  let image: ImageRef | undefined;
  try {
    image = await findImage(read.registry, push.repository, push.tag, push.digest);
  } catch (error) {
    // A registry the automation may not read (its role, or its repository policy) releases nothing, and says why.
    if (error instanceof TargetAccessError) return refusal(error.message);
    throw error;
  }
  // Deploying it would only end in CannotPullContainerError and a rollback.
  if (image === undefined) {
    return refusal(`image ${push.digest} (${push.repository}:${push.tag}) is not in the registry; nothing to deploy`);
  }
  const source = push.reconciled ? 'ecr-reconcile' : 'ecr-push';
  const trigger: Trigger = { source, eventId: push.eventId, at: push.at };
  // An image's first push is keyed by its digest, which the reconciler knows
  // too; a later push of the same image (a new tag on it, or pushed again to
  // go back to it) has no push time of its own in ECR and only its event sees
  // it, so the event keys it.
  const releaseKey = isFirstPush(push.at, image.pushedAt) ? pushReleaseKey(image.digest) : push.eventId;
  // A target whose service or container is missing is refused on its own, so
  // one misconfigured environment does not hold back the others.
  return planned(
    await Promise.all(lookup.targets.map((target) => planTarget({ target, image, trigger, releaseKey }, read, now))),
  );
}

/** What one target's release is made of, before ECS is read. */
export interface TargetPlan {
  target: ReleaseTarget;
  image: ImageRef;
  trigger: Trigger;
  source?: GitHubReleaseSource;
  /** What names the release within its target; the trigger's event id when absent. */
  releaseKey?: string;
}

/** One target's release request, or the target refused: its ECS service or container is missing, or its scan gate says no. */
export async function planTarget(
  { target: planned, image, trigger, source, releaseKey }: TargetPlan,
  ports: PlanPorts,
  now: Date,
): Promise<ReleaseRequest | RefusedTarget> {
  const config = catalogTarget(ports.catalog, planned.service, planned.environment);
  // Where the target lives, decided here once: every later step (the rollback too) acts there.
  const access = resolvePlacement(config ?? {}, ports.home);
  const target: ReleaseTarget = { ...planned, access };
  const releaseId = releaseIdFor(target, releaseKey ?? trigger.eventId);
  let live: Awaited<ReturnType<typeof readLiveRevision>>;
  try {
    // A role that cannot be assumed refuses the target here, before anything is touched.
    await ports.reach(access, releaseId);
    live = await readLiveRevision(ports.ecsFor(access, releaseId), target);
  } catch (error) {
    if (error instanceof TargetAccessError) {
      return refusedTarget(target, `${describeAccess(access)} cannot be reached: ${error.message}`, source);
    }
    if (!(error instanceof ServiceNotFoundError || error instanceof ContainerNotFoundError)) throw error;
    return refusedTarget(target, error.message, source);
  }
  const noop = alreadyLive(live, image);
  const gate = await gateOf(noop, config?.scan, image, ports).catch((error: unknown) => {
    // The scan's findings are read in the image's registry, through its role: one that cannot be read refuses this target.
    if (error instanceof TargetAccessError) return { refused: error.message, summary: undefined };
    throw error;
  });
  if (gate.refused !== undefined) return refusedTarget(target, gate.refused, source);
  return {
    releaseId,
    target,
    image,
    trigger,
    ...(source === undefined ? {} : { source }),
    currentTaskDefinitionArn: live.taskDefinition.taskDefinitionArn,
    ...(noop === undefined ? {} : { noop }),
    ...(gate.summary === undefined ? {} : { scan: gate.summary }),
    lockWaitDeadline: new Date(now.getTime() + lockWaitSeconds(target) * 1000).toISOString(),
  };
}

/** The scan gate's judgement of the image, or nothing to judge: an image already live deploys nothing. */
async function gateOf(
  noop: string | undefined,
  policy: ScanPolicy | undefined,
  image: ImageRef,
  ports: PlanPorts,
): Promise<{ refused?: string | undefined; summary?: ScanSummary | undefined }> {
  if (noop !== undefined) return {};
  return scanGate(
    {
      policy,
      repository: image.repository,
      digest: image.digest,
      image: `${image.repository}:${image.tag} (${image.digest})`,
      hotfix: false,
    },
    ports,
  );
}

/** A target that cannot be released, with where its refusal is announced. */
export function refusedTarget(target: ReleaseTarget, reason: string, source?: GitHubReleaseSource): RefusedTarget {
  return {
    service: target.service,
    environment: target.environment,
    reason,
    slackChannel: target.slackChannel,
    ...(source === undefined ? {} : { source }),
  };
}

/** The plan of every target: the releases, and the targets refused. */
export function planned(items: (ReleaseRequest | RefusedTarget)[]): PlanResult {
  const isRelease = (item: ReleaseRequest | RefusedTarget): item is ReleaseRequest => 'releaseId' in item;
  const isRefused = (item: ReleaseRequest | RefusedTarget): item is RefusedTarget => !isRelease(item);
  return { releases: items.filter(isRelease), refusedTargets: items.filter(isRefused) };
}

/** A plan that releases nothing, and why. */
export const refusal = (reason: string): PlanResult => ({ releases: [], refusedTargets: [], refused: reason });

async function findImage(
  registry: RegistryPort,
  repository: string,
  tag: string,
  digest: string,
): Promise<ImageRef | undefined> {
  const [stored, repositoryUri] = await Promise.all([
    registry.findImage(repository, digest),
    registry.repositoryUri(repository),
  ]);
  if (stored === undefined) return undefined;
  return { repository, tag, digest, uri: `${repositoryUri}@${digest}`, pushedAt: stored.pushedAt };
}
