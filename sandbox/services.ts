// The services the sandbox starts besides its core: the emulated ECS world
// (ECS, ECR, CloudWatch, task processes, load balancers, the demo). The
// contract each starter meets is in service-starter.ts.
import { ecsWorldStarter } from './ecs/starter.ts';
import type { ServiceStarter } from './service-starter.ts';

/** The emulated services the sandbox starts, in order: the ECS world (ECS, ECR, CloudWatch, load balancers, the demo). */
export const serviceStarters: readonly ServiceStarter[] = [ecsWorldStarter];
