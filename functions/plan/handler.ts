import { runtimeCatalog } from '#catalog';
import { isGitHubReleaseEvent, parseGitHubReleaseEvent } from '../../src/github/events/release.ts';
import { planGitHubRelease } from '../../src/github/plan-release.ts';
import { functionLogger, type Logged, lambdaHandler } from '../../src/platform/lambda.ts';
import { lambdaEntry, type Wiring } from '../../src/platform/wiring.ts';
import { wiredEcs, wiredRegistry } from '../../src/release/adapters/wiring.ts';
import { parseEcrPush } from '../../src/release/events/ecr-push.ts';
import { type PlanPorts, planRelease } from '../../src/release/plan.ts';
import type { PlanResult } from '../../src/release/release.ts';

/** ECR push or published GitHub release (the execution input) → the releases it asks for, or why none. */
export function createPlanHandler(deps: PlanPorts & Logged) {
  const { logger } = deps;
  return lambdaHandler(logger, async (event: unknown): Promise<PlanResult> => {
    let result: PlanResult;
    let about: Record<string, string>;
    if (isGitHubReleaseEvent(event)) {
      const published = parseGitHubReleaseEvent(event);
      about = {
        deliveryId: published.source.deliveryId,
        github: published.source.repository,
        tag: published.source.tag,
      };
      result = await planGitHubRelease(published, deps);
    } else {
      const push = parseEcrPush(event);
      about = { eventId: push.eventId, repository: push.repository, ...(push.tag ? { tag: push.tag } : {}) };
      result = await planRelease(push, deps);
    }
    if (result.refused !== undefined) logger.warn('nothing to release', { ...about, reason: result.refused });
    else logger.info('planned', { ...about, releases: result.releases.map((release) => release.releaseId) });
    // `service` is Powertools' own key (the function's name): the catalog's service is logged as catalogService.
    for (const { service, ...refused } of result.refusedTargets) {
      logger.error('target refused', { ...about, catalogService: service, ...refused });
    }
    return result;
  });
}

/** `plan` over the catalog and the AWS `wiring` reaches (the registry adapter remembers repository URIs). */
export const wire = (wiring: Wiring) =>
  createPlanHandler({
    catalog: runtimeCatalog(wiring.env),
    ecs: wiredEcs(wiring),
    registry: wiredRegistry(wiring),
    now: () => new Date(),
    logger: functionLogger('plan'),
  });

export const handler = lambdaEntry(wire);
