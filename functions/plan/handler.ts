import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { catalog } from '#catalog';
import { isGitHubReleaseEvent, parseGitHubReleaseEvent } from '../../src/github/events/release.ts';
import { planGitHubRelease } from '../../src/github/plan-release.ts';
import { lambdaHandler, logger } from '../../src/platform/lambda.ts';
import { createEcrRegistry } from '../../src/release/adapters/ecr.ts';
import { createEcsAdapter } from '../../src/release/adapters/ecs.ts';
import { parseEcrPush } from '../../src/release/events/ecr-push.ts';
import { planRelease } from '../../src/release/plan.ts';
import type { PlanResult } from '../../src/release/release.ts';

// Once per cold start: the registry adapter also remembers repository URIs.
const ecs = createEcsAdapter(new ECSClient({}));
const registry = createEcrRegistry(new ECRClient({}));
const ports = { catalog, ecs, registry, now: () => new Date() };

/** ECR push or published GitHub release (the execution input) → the releases it asks for, or why none. */
export const handler = lambdaHandler(async (event: unknown): Promise<PlanResult> => {
  let result: PlanResult;
  let about: Record<string, string>;
  if (isGitHubReleaseEvent(event)) {
    const published = parseGitHubReleaseEvent(event);
    const { deliveryId, repository, tag } = published.source;
    about = { deliveryId, github: repository, tag };
    result = await planGitHubRelease(published, ports);
  } else {
    const push = parseEcrPush(event);
    about = { eventId: push.eventId, repository: push.repository, ...(push.tag ? { tag: push.tag } : {}) };
    result = await planRelease(push, ports);
  }
  if (result.refused !== undefined) logger.warn('nothing to release', { ...about, reason: result.refused });
  else logger.info('planned', { ...about, releases: result.releases.map((release) => release.releaseId) });
  for (const refused of result.refusedTargets) logger.error('target refused', { ...about, ...refused });
  return result;
});
