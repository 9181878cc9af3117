import { runtimeCatalog } from '#catalog';
import type { Catalog } from '../../src/catalog/schema.ts';
import { functionLogger, type Logged, lambdaHandler } from '../../src/platform/lambda.ts';
import { parseEvent } from '../../src/platform/parse-event.ts';
import { lambdaEntry, type Wiring } from '../../src/platform/wiring.ts';
import { wiredEcs } from '../../src/release/adapters/wiring.ts';
import type { EcsPort } from '../../src/release/ports/ecs.ts';
import { rollTargets, secretFor } from '../../src/rotation/adapters/wiring.ts';
import { findDependents } from '../../src/rotation/roll.ts';
import { rotateDependentsStep } from '../../src/rotation/steps.ts';

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
