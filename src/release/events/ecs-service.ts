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
const SERVICE_ARN = /^arn:[^:]+:ecs:([^:]*):([^:]*):service\/(?:([^/]+)\/)?([^/]+)$/;
// arn:aws:ecs:region:account:service-deployment/cluster/service/id.
const DEPLOYMENT_ARN = /^arn:[^:]+:ecs:([^:]+):(\d{12}):service-deployment\//;

/** Where a service lives: the account and region of its ARNs. */
export interface ServicePlace {
  account: string;
  region: string;
}

/**
 * `<account>/<region>/<cluster name>/<service name>`, as a wait is stored under (services of one name
 * in two accounts or regions are two); `<cluster>/<service>` where the place is not known. A cluster
 * or service may be a name or an ARN.
 */
export function serviceKey(cluster: string, service: string, place?: ServicePlace): string {
  const last = (value: string) => value.slice(value.lastIndexOf('/') + 1);
  return `${place === undefined ? '' : `${place.account}/${place.region}/`}${last(cluster)}/${last(service)}`;
}

/** The account and region a service deployment's ARN names, or undefined when it is not one. */
export function placeOfDeployment(serviceDeploymentArn: string): ServicePlace | undefined {
  const [, region, account] = DEPLOYMENT_ARN.exec(serviceDeploymentArn) ?? [];
  return region === undefined || account === undefined ? undefined : { account, region };
}

/** The services an ECS service event names (usually one), as `serviceKey` spells them. */
export function servicesOfEcsEvent(input: unknown): { services: string[]; eventName: string } {
  const { resources, detail } = parseEvent(ecsServiceEventSchema, input);
  const services = resources.flatMap((arn) => {
    const [, region, account, cluster, service] = SERVICE_ARN.exec(arn) ?? [];
    const clusterName = cluster ?? detail.clusterArn;
    if (service === undefined || clusterName === undefined) return [];
    // Forwarded from a target's account, the event names where it happened: the wait is keyed the same.
    const place = region && account && /^\d{12}$/.test(account) ? { account, region } : undefined;
    return [serviceKey(clusterName, service, place)];
  });
  return { services: [...new Set(services)], eventName: detail.eventName };
}
