import { createHash, randomUUID } from 'node:crypto';
import type { AwsLocation } from './location.ts';

// ARNs in AWS's formats, so that what the sandbox returns parses like the
// real thing in the functions and in the AWS CLI. ECS, ECR and the load
// balancers build theirs here.

/** ARN builders for one account and region. */
export class Arns {
  readonly accountId: string;
  readonly region: string;

  constructor(location: AwsLocation) {
    this.accountId = location.accountId;
    this.region = location.region;
  }

  #ecs(resource: string): string {
    return `arn:aws:ecs:${this.region}:${this.accountId}:${resource}`;
  }

  cluster(name: string): string {
    return this.#ecs(`cluster/${name}`);
  }
  service(cluster: string, name: string): string {
    return this.#ecs(`service/${cluster}/${name}`);
  }
  taskDefinition(family: string, revision: number): string {
    return this.#ecs(`task-definition/${family}:${revision}`);
  }
  task(cluster: string, id: string): string {
    return this.#ecs(`task/${cluster}/${id}`);
  }
  container(cluster: string, taskId: string): string {
    return this.#ecs(`container/${cluster}/${taskId}/${randomUUID()}`);
  }
  serviceDeployment(cluster: string, service: string, id: string): string {
    return this.#ecs(`service-deployment/${cluster}/${service}/${id}`);
  }
  serviceRevision(cluster: string, service: string, id: string): string {
    return this.#ecs(`service-revision/${cluster}/${service}/${id}`);
  }
  repository(name: string): string {
    return `arn:aws:ecr:${this.region}:${this.accountId}:repository/${name}`;
  }
  /** `app/<name>/<id>`: the ALB's ARN suffix, which is also its CloudWatch `LoadBalancer` dimension. */
  loadBalancer(name: string): { arn: string; dimension: string } {
    const dimension = `app/${name}/${stableId(`loadbalancer/${name}`)}`;
    return {
      arn: `arn:aws:elasticloadbalancing:${this.region}:${this.accountId}:loadbalancer/${dimension}`,
      dimension,
    };
  }
  /** `targetgroup/<name>/<id>`: the target group's ARN suffix and CloudWatch `TargetGroup` dimension. */
  targetGroup(name: string): { arn: string; dimension: string } {
    const dimension = `targetgroup/${name}/${stableId(`targetgroup/${name}`)}`;
    return { arn: `arn:aws:elasticloadbalancing:${this.region}:${this.accountId}:${dimension}`, dimension };
  }
  /** A listener of the load balancer `app/<name>/<id>`, told apart by `seed` (e.g. its role). */
  listener(loadBalancerDimension: string, seed: string): string {
    const id = stableId(`listener/${loadBalancerDimension}/${seed}`);
    return `arn:aws:elasticloadbalancing:${this.region}:${this.accountId}:listener/${loadBalancerDimension}/${id}`;
  }
  /** A rule of a listener: `listener-rule/app/<name>/<lb id>/<listener id>/<rule id>`. */
  listenerRule(listenerArn: string, seed: string): string {
    const path = listenerArn.split(':listener/')[1] ?? '';
    const id = stableId(`listener-rule/${path}/${seed}`);
    return `arn:aws:elasticloadbalancing:${this.region}:${this.accountId}:listener-rule/${path}/${id}`;
  }
}

// Load balancer ids derive from the name so that the demo's metric dimensions
// are the same every time the sandbox starts and can be written down.
function stableId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 16);
}
