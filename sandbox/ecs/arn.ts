import { createHash, randomBytes, randomUUID } from 'node:crypto';

// ARNs and ids in AWS's formats, so that what the sandbox returns parses like
// the real thing in the functions and in the AWS CLI.

/** Where the emulated resources live. */
export interface AwsLocation {
  accountId: string;
  region: string;
}

/** The sandbox's default account and region (LocalStack's convention for the account). */
export const defaultLocation: AwsLocation = { accountId: '000000000000', region: 'us-east-1' };

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
}

// Load balancer ids derive from the name so that the demo's metric dimensions
// are the same every time the sandbox starts and can be written down.
function stableId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 16);
}

/** A task id: 32 hex characters. */
export const newTaskId = (): string => randomBytes(16).toString('hex');

/** A deployment or service revision id: 19 decimal digits, as ECS prints them. */
export function newNumericId(): string {
  const digits = [...randomBytes(19)].map((byte) => String(byte % 10)).join('');
  return `${1 + (Number(digits[0]) % 9)}${digits.slice(1)}`;
}

/** A service deployment id: 21 URL-safe characters. */
export const newServiceDeploymentId = (): string => randomBytes(16).toString('base64url').slice(0, 21);

/** The last path segment of an ARN, or the value itself when it is a plain name. */
export function nameOf(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? (nameOrArn.split('/').at(-1) ?? nameOrArn) : nameOrArn;
}
