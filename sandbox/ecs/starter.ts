import type { ServiceStarter } from '../service-starter.ts';
import { createEcsWorld, type EcsWorld } from './index.ts';

// The ECS world as one of the sandbox's services (sandbox/service-starter.ts): ECS,
// ECR and CloudWatch join the AWS endpoint, ECR's push events go to the
// event bus, service events are printed, and the demo (`web`, demo/web:v1,
// load balancer on lbPorts.web, 8080 by default) is running and steady
// before the sandbox reports it has started. `handle` is the EcsWorld, for
// tests, the CLI's push and the bench (world.ensureService for more services).

export const ecsWorldStarter: ServiceStarter = async (context) => {
  const world: EcsWorld = createEcsWorld({
    location: context.location,
    timeFactor: context.timeFactor,
    onPush: (event) => context.publishEvent(event),
    onServiceEvent: (_service, event) => context.print(`  ecs ${event.message}`),
  });
  try {
    const demo = await world.seedDemo({ port: context.lbPorts.web ?? 8080 });
    await world.waitForSteadyState('web');
    return {
      emulators: [world.ecs, world.ecr, world.cloudwatch],
      loadBalancers: [{ cluster: demo.cluster, service: demo.service, url: demo.loadBalancer.url }],
      notes: [
        `demo service web (cluster sandbox) runs demo/web:v1 behind ${demo.loadBalancer.url}`,
        `  CloudWatch dimensions: LoadBalancer=${demo.loadBalancer.dimensions.LoadBalancer} TargetGroup=${demo.loadBalancer.dimensions.TargetGroup}`,
      ],
      handle: world,
      close: () => world.stop(),
    };
  } catch (error) {
    await world.stop();
    throw error;
  }
};
