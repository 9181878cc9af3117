import { runtimeCatalog } from '#catalog';
import { planExecutionInput } from '../../src/github/index.ts';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import type { PlanPorts, PlanResult } from '../../src/release/index.ts';
import { wiredPlanPorts } from '../../src/release/wiring.ts';

/** ECR push or published GitHub release (the execution input) → the releases it asks for, or why none. */
export function createPlanHandler(deps: PlanPorts & Logged) {
  const { logger } = deps;
  return lambdaHandler(logger, async (event: unknown): Promise<PlanResult> => {
    const { result, about } = await planExecutionInput(event, deps);
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
    ...wiredPlanPorts(wiring, runtimeCatalog(wiring.env)),
    logger: functionLogger('plan', wiring.env),
  });

export const handler = lambdaEntry(wire);
