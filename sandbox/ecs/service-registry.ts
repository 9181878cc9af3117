import { AwsApiError } from '../aws/service.ts';
import type { ClusterRecord } from './clusters.ts';
import type { ServiceDeploymentRecord, ServiceRecord } from './service-model.ts';

// Every service of the world, and every service deployment by ARN.

const MAX_DEPLOYMENTS_PER_SERVICE = 100;

export class ServiceRegistry {
  readonly #services = new Map<string, ServiceRecord>();
  readonly #deployments = new Map<string, { service: ServiceRecord; deployment: ServiceDeploymentRecord }>();

  add(service: ServiceRecord): void {
    this.#services.set(service.arn, service);
  }

  find(cluster: ClusterRecord, nameOrArn: string): ServiceRecord | undefined {
    const service =
      this.#services.get(nameOrArn) ??
      [...this.#services.values()].find((s) => s.cluster.arn === cluster.arn && s.name === nameOrArn);
    return service?.cluster.arn === cluster.arn ? service : undefined;
  }

  require(cluster: ClusterRecord, nameOrArn: string): ServiceRecord {
    const service = this.find(cluster, nameOrArn);
    if (!service) throw new AwsApiError('ServiceNotFoundException', 'Service not found.');
    return service;
  }

  all(): ServiceRecord[] {
    return [...this.#services.values()];
  }

  inCluster(cluster: ClusterRecord): ServiceRecord[] {
    return this.all().filter((s) => s.cluster.arn === cluster.arn);
  }

  /** Records a new service deployment, forgetting the oldest beyond 100 per service. */
  addDeployment(service: ServiceRecord, deployment: ServiceDeploymentRecord): void {
    service.serviceDeployments.push(deployment);
    this.#deployments.set(deployment.arn, { service, deployment });
    while (service.serviceDeployments.length > MAX_DEPLOYMENTS_PER_SERVICE) {
      const oldest = service.serviceDeployments.shift();
      if (oldest) this.#deployments.delete(oldest.arn);
    }
  }

  deployment(arn: string): { service: ServiceRecord; deployment: ServiceDeploymentRecord } | undefined {
    return this.#deployments.get(arn);
  }
}
