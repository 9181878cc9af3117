import { isOneOf, principalsFor } from '../approvals/index.ts';
import {
  type Catalog,
  catalogEnvironment,
  catalogService,
  type EnvironmentConfig,
  resolvePlacement,
} from '../catalog/index.ts';
import type { ChatPort } from '../platform/chat.ts';
import type { ChatReply } from '../platform/chat-reply.ts';
import { TargetAccessError } from '../platform/errors.ts';
import { describeAccess, type Home, type PortFor } from '../platform/target-access.ts';
import {
  alreadyLive,
  type EcsPort,
  escapeText,
  type ImageRef,
  lockWaitSeconds,
  type RegistryImage,
  type RegistryPort,
  type ReleaseRequest,
  type ReleaseStore,
  type ReleaseWorkflow,
  readLiveRevision,
  registryAccess,
  releaseIdFor,
  releaseTargetFor,
  type ScanFindingsPort,
  scanGate,
  type TaggedImageLookup,
} from '../release/index.ts';

/** `/release deploy` (a tag) or `/release rollback` (the last good release), as one Slack user asked. */
export interface ChatDeploy {
  service: string;
  environment?: string;
  /** deploy: the tag; rollback: absent. */
  tag?: string;
  hotfix: boolean;
  user: string;
  /** Unique per Slack request (its timestamp and user): the release's event id. */
  requestId: string;
}

/** What starting a release from Slack needs. */
export interface ChatDeployPorts {
  catalog: Catalog;
  /** ECS where a target lives (its account and region, through its role). */
  ecsFor: PortFor<Pick<EcsPort, 'describeService' | 'describeTaskDefinition'>>;
  /** The automation's own account and region: where an environment naming none lives, and its registry. */
  home: Home;
  registry: RegistryPort & TaggedImageLookup;
  scans: ScanFindingsPort;
  releases: Pick<ReleaseStore, 'listReleases'>;
  workflow: Pick<ReleaseWorkflow, 'start'>;
  chat: Pick<ChatPort, 'groupMembers'>;
  now: () => Date;
}

// Enough records of one target to find its last good release.
const RECENT = 50;

/**
 * Plans one release of a catalog target from Slack and starts it: a deploy of
 * a tag (by its digest now), or a rollback to the newest successful release
 * that is not what runs now (as a hotfix: no canary steps, still smoke-tested).
 * Unknown services, environments and tags, and users without the right, are
 * told why; nothing is started for them.
 */
export async function startChatRelease(ask: ChatDeploy, ports: ChatDeployPorts): Promise<ChatReply> {
  const action = ask.tag === undefined ? 'rollback' : 'deploy';
  const service = catalogService(ports.catalog, ask.service);
  if (!service) return { text: `Unknown service \`${ask.service}\`.` };
  const names = Object.keys(service.environments);
  const environment = ask.environment ?? (names.length === 1 ? names[0] : undefined);
  if (environment === undefined) return { text: `${ask.service} has environments ${names.join(', ')}: name one.` };
  const config: EnvironmentConfig | undefined = catalogEnvironment(service, environment);
  if (!config) return { text: `${ask.service} has no environment \`${environment}\` (it has ${names.join(', ')}).` };
  const where = `${ask.service}/${environment}`;

  const allowed = principalsFor(action, config);
  if (allowed.length === 0) return { text: `Nobody may ${action} ${where} from Slack (the catalog names no one).` };
  if (!(await isOneOf(ask.user, allowed, ports.chat))) return { text: `You may not ${action} ${where}.` };

  const access = resolvePlacement(config, ports.home);
  const target = { ...releaseTargetFor(ask.service, environment, config), access };
  const eventId = `slack-${ask.requestId}`;
  const releaseId = releaseIdFor(target, eventId);
  let live: Awaited<ReturnType<typeof readLiveRevision>>;
  try {
    live = await readLiveRevision(ports.ecsFor(access, releaseId), target);
  } catch (error) {
    if (!(error instanceof TargetAccessError)) throw error;
    return { text: `Cannot reach ${where} (${escapeText(describeAccess(access))}): ${escapeText(error.message)}` };
  }
  // The environment's images are read in their own registry, as the role the catalog names for it.
  const registry = registryAccess(config, ports.home);
  const read = { ...ports, registry: ports.registry.at(registry, eventId), scans: ports.scans.at(registry, eventId) };
  const found =
    ask.tag === undefined
      ? await lastGoodImage(ask.service, environment, live.image, read)
      : await taggedImage(config.repository, ask.tag, read);
  if ('refusal' in found) return { text: found.refusal };
  const uri = `${await read.registry.repositoryUri(config.repository)}@${found.image.digest}`;
  const image: ImageRef = {
    repository: config.repository,
    tag: found.tag,
    digest: found.image.digest,
    uri,
    pushedAt: found.image.pushedAt,
  };
  const noop = alreadyLive(live, image);
  if (noop) return { text: `Nothing to do: ${escapeText(noop)}.` };

  // A rollback returns to an image released before; a deploy passes the scan gate (a hotfix only where the
  // catalog lets it bypass), without waiting for a scan in progress: Slack wants its answer within 3 s.
  const gate =
    action === 'rollback'
      ? {}
      : await scanGate(
          {
            policy: config.scan,
            repository: image.repository,
            digest: image.digest,
            image: `${image.repository}:${image.tag} (${image.digest})`,
            hotfix: ask.hotfix,
            waitSeconds: 0,
          },
          read,
        );
  if (gate.refused !== undefined) return { text: `Not released: ${escapeText(gate.refused)}` };

  const now = ports.now();
  const request: ReleaseRequest = {
    releaseId,
    target,
    image,
    trigger: { source: 'slack-command', eventId, at: now.toISOString() },
    currentTaskDefinitionArn: live.taskDefinition.taskDefinitionArn,
    lockWaitDeadline: new Date(now.getTime() + lockWaitSeconds(target) * 1000).toISOString(),
    requestedBy: { name: ask.user, slackUserId: ask.user },
    ...(ask.hotfix || action === 'rollback' ? { hotfix: true } : {}),
    ...(gate.summary === undefined ? {} : { scan: gate.summary }),
  };
  await ports.workflow.start(executionName(request.releaseId), { releases: [request], refusedTargets: [] });
  const kind = action === 'rollback' ? 'Rolling back' : ask.hotfix ? 'Hotfixing' : 'Deploying';
  const approval = target.approval ? '; it waits for an approval' : '';
  return {
    text: `${kind} ${where} to \`${escapeText(found.tag)}\` (release ${request.releaseId}), asked by <@${ask.user}>${approval}.`,
    public: true,
  };
}

type Found = { tag: string; image: RegistryImage } | { refusal: string };

async function taggedImage(repository: string, tag: string, ports: ChatDeployPorts): Promise<Found> {
  const image = await ports.registry.findTaggedImage(repository, tag);
  return image ? { tag, image } : { refusal: `There is no image tagged \`${tag}\` in ${repository}.` };
}

/** The newest successful release whose image is not the one running now. */
async function lastGoodImage(
  service: string,
  environment: string,
  running: string | undefined,
  ports: ChatDeployPorts,
): Promise<Found> {
  const records = await ports.releases.listReleases({ service, environment, limit: RECENT });
  const previous = records.find((record) => record.outcome === 'SUCCEEDED' && !running?.endsWith(`@${record.digest}`));
  if (!previous) return { refusal: `${service}/${environment} has no earlier successful release to roll back to.` };
  const image = await ports.registry.findImage(previous.repository, previous.digest);
  if (!image)
    return {
      refusal: `The image of ${previous.releaseId} (${previous.digest}) is no longer in ${previous.repository}.`,
    };
  return { tag: previous.tag, image };
}

/** Step Functions execution names: at most 80 of [A-Za-z0-9_-]. */
function executionName(releaseId: string): string {
  return releaseId.replace(/[^A-Za-z0-9_-]/g, '_').slice(-80);
}
