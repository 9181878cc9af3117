import { runtimeCatalog } from '#catalog';
import type { Catalog } from '../../src/catalog/index.ts';
import { parseEvent } from '../../src/platform/index.ts';
import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import type { EcsPort } from '../../src/release/index.ts';
import { wiredEcs } from '../../src/release/wiring.ts';
import { findDependents, rotateDependentsStep } from '../../src/rotation/index.ts';
import { rollTargets, secretFor } from '../../src/rotation/wiring.ts';

/** `rotateDependents`: `{ parameter }` → `{ services }`: the catalog targets to roll (explicit, or reading the parameter). */
export function createRotateDependentsHandler({ catalog, ecs, logger }: { catalog: Catalog; ecs: EcsPort } & Logged) {
  const targets = rollTargets(catalog);
  return lambdaHandler(logger, async (event: unknown) => {
    const { parameter } = parseEvent(rotateDependentsStep.input, event);
    const services = await findDependents(parameter, secretFor(catalog, parameter).services, targets, { ecs });
    logger.info('services to roll', { parameter, services: services.map((s) => `${s.service}/${s.environment}`) });
    return { services };
  });
}

/** `rotateDependents` over the catalog and the ECS `wiring` reaches. */
export const wire = (wiring: Wiring) =>
  createRotateDependentsHandler({
    catalog: runtimeCatalog(wiring.env),
    ecs: wiredEcs(wiring),
    logger: functionLogger('rotateDependents', wiring.env),
  });

export const handler = lambdaEntry(wire);
