import { functionLogger, type Logged, lambdaEntry, lambdaHandler, type Wiring } from '../../src/platform/wiring.ts';
import { type SettleReport, servicesOfEcsEvent, settleWaits, type WaitPorts } from '../../src/release/index.ts';
import { wiredWaitPorts } from '../../src/release/wiring.ts';

/**
 * An ECS service event (EventBridge) → each release waiting on that service's deployments looks at
 * ECS again and is answered if its deployment has something to say. The event only says where to look.
 */
export function createEcsEventsHandler(deps: WaitPorts & Logged) {
  const { logger } = deps;
  return lambdaHandler(logger, async (event: unknown): Promise<SettleReport> => {
    const { services, eventName } = servicesOfEcsEvent(event);
    const waits = (await Promise.all(services.map((service) => deps.waits.forService(service)))).flat();
    const report = await settleWaits(waits, deps);
    if (report.failed > 0) logger.warn('some waits could not be looked at; the reconcile will', { ...report });
    logger.info('ecs event', { eventName, services, ...report });
    return report;
  });
}

/** `ecsEvents` over the AWS `wiring` reaches. */
export const wire = (wiring: Wiring) =>
  createEcsEventsHandler({ ...wiredWaitPorts(wiring), logger: functionLogger('ecsEvents', wiring.env) });

export const handler = lambdaEntry(wire);
