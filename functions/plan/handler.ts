import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { catalog } from '#catalog';
import { createEcrRegistry } from '../../src/adapters/ecr.ts';
import { createEcsAdapter } from '../../src/adapters/ecs.ts';
import { planRelease } from '../../src/domain/plan.ts';
import { planGitHubRelease } from '../../src/domain/plan-github-release.ts';
import type { PlanResult } from '../../src/domain/release.ts';
import { parseEcrPush } from '../../src/events/ecr-push.ts';
import { isGitHubReleaseEvent, parseGitHubReleaseEvent } from '../../src/events/github-release.ts';
import { lambdaHandler, logger } from '../../src/runtime/lambda.ts';

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
