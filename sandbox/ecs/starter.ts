import type { ServiceStarter } from '../service-starter.ts';
import { startTraffic, type Traffic } from '../traffic/generator.ts';
import { createEcsWorld, type EcsWorld } from './index.ts';
import { CANARY_DEMO_STABLE_TAG } from './seed.ts';

// The ECS world as one of the sandbox's services (sandbox/service-starter.ts): ECS,
// ECR and CloudWatch join the AWS endpoint, ECR's push events and ECS's
// events (deployment state changes, service actions) go to the event bus,
// service events are printed, and the demo (`web`, demo/web:v1,
// load balancer on lbPorts.web, 8080 by default) is running and steady
// before the sandbox reports it has started. `handle` is the EcsWorld, for
// tests, the CLI's push and the bench (world.ensureService for more services).
// With lbPorts['web-production'], the demo's production (service
// web-production, released from GitHub releases) runs too. With lbPorts.shop,
// the canary demo (service shop, ECS's CANARY strategy with PAUSE hooks) runs
// too, with demoTrafficPerSecond requests/s of traffic (20 by default) so that
// its ALB metrics exist.

export const ecsWorldStarter: ServiceStarter = async (context) => {
  const world: EcsWorld = createEcsWorld({
    location: context.location,
    timeFactor: context.timeFactor,
    ...(context.cloudwatch ? { cloudwatch: context.cloudwatch } : {}),
    onPush: (event) => context.publishEvent(event),
    onScan: (event) => context.publishEvent(event),
    onEvent: (event) => context.publishEvent(event),
    onServiceEvent: (_service, event) => context.print(`  ecs ${event.message}`),
    ...(context.resolveSecret ? { resolveSecret: context.resolveSecret } : {}),
  });
  let traffic: Traffic | undefined;
  try {
    // Where the catalog puts them: the demo's staging in the sandbox's own account, its images in the
    // tools account's ECR, production in an account and region of its own (config/catalog.yml).
    const home = { accountId: context.location.accountId, region: context.location.region };
    const placed = (service: string) => context.placementOf?.(service) ?? { location: home, imageLocation: home };
    const where = ({ accountId, region }: { accountId: string; region: string }) => `account ${accountId}, ${region}`;
    const web = placed('web');
    const demo = await world.seedDemo({
      port: context.lbPorts.web ?? 8080,
      imageLocation: web.imageLocation,
      ...context.databases?.web,
    });
    await world.waitForSteadyState('web');
    const loadBalancers = [{ cluster: demo.cluster, service: demo.service, url: demo.loadBalancer.url }];
    const notes = [
      `demo service web (cluster sandbox, ${where(home)}) runs demo/web:v1 from ${where(web.imageLocation)}'s ECR behind ${demo.loadBalancer.url}`,
      `  CloudWatch dimensions: LoadBalancer=${demo.loadBalancer.dimensions.LoadBalancer} TargetGroup=${demo.loadBalancer.dimensions.TargetGroup}`,
    ];
    const productionPort = context.lbPorts['web-production'];
    if (productionPort !== undefined) {
      const placement = placed('web-production');
      const production = await world.seedProductionDemo({ port: productionPort, ...placement });
      await world.waitForSteadyState('web-production', 'sandbox', undefined, placement.location);
      loadBalancers.push({
        cluster: production.cluster,
        service: production.service,
        url: production.loadBalancer.url,
      });
      notes.push(
        `demo production web-production (cluster sandbox, ${where(placement.location)}) runs demo/web:v1 from ${where(placement.imageLocation)}'s ECR behind ${production.loadBalancer.url} (released from GitHub releases of example/web)`,
      );
    }
    const shopPort = context.lbPorts.shop;
    if (shopPort !== undefined) {
      const shop = await world.seedCanaryDemo({ port: shopPort, ...context.databases?.shop });
      await world.waitForSteadyState('shop');
      const rate = context.demoTrafficPerSecond;
      if (rate > 0) traffic = startTraffic({ url: shop.loadBalancer.url, ratePerSecond: rate });
      loadBalancers.push({
        cluster: shop.cluster,
        service: shop.service,
        url: shop.loadBalancer.url,
        ...(shop.loadBalancer.native ? { testUrl: shop.loadBalancer.native.testUrl } : {}),
      });
      notes.push(
        `canary demo service shop runs demo/shop:${CANARY_DEMO_STABLE_TAG} behind ${shop.loadBalancer.url} (test listener ${shop.loadBalancer.native?.testUrl}), ${rate > 0 ? `${rate} requests/s of demo traffic` : 'no demo traffic'}`,
      );
    }
    return {
      emulators: [world.ecs, world.ecr, world.cloudwatch],
      loadBalancers,
      notes,
      handle: world,
      close: async () => {
        await traffic?.stop();
        await world.stop();
      },
    };
  } catch (error) {
    await traffic?.stop();
    await world.stop();
    throw error;
  }
};
