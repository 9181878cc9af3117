import * as z from 'zod';
import { parseEvent } from '../../platform/parse-event.ts';

/**
 * ECS's service events as the ECS Developer Guide documents them: "ECS Deployment
 * State Change" (SERVICE_DEPLOYMENT_IN_PROGRESS, _COMPLETED, _FAILED, with the
 * deployment's `ecs-svc/…` id) and "ECS Service Action" (SERVICE_STEADY_STATE,
 * SERVICE_TASK_START_IMPAIRED, …), each naming its service in `resources`. Only
 * which service moved is read: what moved is asked of ECS again (an event can be
 * late, repeated, out of order or forged).
 */
export const ecsServiceEventSchema = z.object({
  source: z.literal('aws.ecs'),
  'detail-type': z.enum(['ECS Deployment State Change', 'ECS Service Action']),
  resources: z.array(z.string()).min(1),
  detail: z.object({
    eventName: z.string().min(1),
    deploymentId: z.string().optional(),
    clusterArn: z.string().optional(),
  }),
});

// arn:aws:ecs:region:account:service/cluster/service (or the old service/service, without the cluster).
const SERVICE_ARN = /^arn:[^:]+:ecs:[^:]*:[^:]*:service\/(?:([^/]+)\/)?([^/]+)$/;

/** `<cluster name>/<service name>`, as a wait is stored under; a cluster or service may be a name or an ARN. */
export function serviceKey(cluster: string, service: string): string {
  const last = (value: string) => value.slice(value.lastIndexOf('/') + 1);
  return `${last(cluster)}/${last(service)}`;
}

/** The services an ECS service event names (usually one), as `serviceKey` spells them. */
export function servicesOfEcsEvent(input: unknown): { services: string[]; eventName: string } {
  const { resources, detail } = parseEvent(ecsServiceEventSchema, input);
  const services = resources.flatMap((arn) => {
    const [, cluster, service] = SERVICE_ARN.exec(arn) ?? [];
    const clusterName = cluster ?? detail.clusterArn;
    return service === undefined || clusterName === undefined ? [] : [serviceKey(clusterName, service)];
  });
  return { services: [...new Set(services)], eventName: detail.eventName };
}
