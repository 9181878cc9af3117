import { runtimeCatalog } from '#catalog';
import type { Catalog } from '../../src/catalog/index.ts';
import { type Home, homeOf, parseEvent } from '../../src/platform/index.ts';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import { findDependents, rotateDependentsStep } from '../../src/rotation/index.ts';
import { type DependentEcs, rollTargets, secretFor, wiredDependentEcs } from '../../src/rotation/wiring.ts';

/** `rotateDependents`: `{ parameter, rotationId }` → `{ services }`: the catalog targets to roll (explicit, or reading the parameter). */
export function createRotateDependentsHandler(deps: { catalog: Catalog; home: Home; ecs: DependentEcs } & Logged) {
  const { catalog, logger } = deps;
  const targets = rollTargets(catalog, deps.home);
  return lambdaHandler(logger, async (event: unknown) => {
    const { parameter, rotationId } = parseEvent(rotateDependentsStep.input, event);
    const ecs = (target: (typeof targets)[number]) => deps.ecs(target.access, rotationId);
    const services = await findDependents(parameter, secretFor(catalog, parameter).services, targets, { ecs });
    logger.info('services to roll', { parameter, services: services.map((s) => `${s.service}/${s.environment}`) });
    return { services };
  });
}

/** `rotateDependents` over the catalog and ECS in each target's account and region. */
export const wire = (wiring: Wiring) =>
  createRotateDependentsHandler({
    catalog: runtimeCatalog(wiring.env),
    home: homeOf(wiring.env),
    ecs: wiredDependentEcs(wiring),
    logger: functionLogger('rotateDependents', wiring.env),
  });

export const handler = lambdaEntry(wire);
