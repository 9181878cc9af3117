import type { Cluster } from '@aws-sdk/client-ecs';
import type { Arns } from '../aws/arns.ts';
import { AwsApiError } from '../aws/service.ts';
import { nameOf } from './arn.ts';

// ECS clusters: a name, an ARN and tags. Capacity is infinite in the sandbox
// (every task is a loopback server), so a cluster holds no instances.

export interface ClusterRecord {
  arn: string;
  name: string;
  createdAt: Date;
  tags: { key: string; value: string }[];
}

const CLUSTER_NAME = /^[a-zA-Z0-9_-]{1,255}$/;

export class Clusters {
  readonly #arns: Arns;
  readonly #clusters = new Map<string, ClusterRecord>();

  constructor(arns: Arns) {
    this.#arns = arns;
  }

  /** Creates a cluster, or returns the existing one of that name (CreateCluster is idempotent). */
  create(name: string, tags: ClusterRecord['tags'] = []): ClusterRecord {
    if (!CLUSTER_NAME.test(name)) {
      throw new AwsApiError(
        'InvalidParameterException',
        'Cluster name can only contain letters, numbers, hyphens and underscores (up to 255 characters).',
      );
    }
    const existing = this.#clusters.get(name);
    if (existing) return existing;
    const cluster: ClusterRecord = { arn: this.#arns.cluster(name), name, createdAt: new Date(), tags };
    this.#clusters.set(name, cluster);
    return cluster;
  }

  find(nameOrArn: string): ClusterRecord | undefined {
    const cluster = this.#clusters.get(nameOf(nameOrArn));
    return cluster && (cluster.arn === nameOrArn || cluster.name === nameOrArn) ? cluster : undefined;
  }

  /** The cluster a request names (`default` when it names none), or ClusterNotFoundException. */
  require(nameOrArn: string | undefined): ClusterRecord {
    const cluster = this.find(nameOrArn ?? 'default');
    if (!cluster) throw new AwsApiError('ClusterNotFoundException', 'Cluster not found.');
    return cluster;
  }

  list(): ClusterRecord[] {
    return [...this.#clusters.values()];
  }
}

/** DescribeClusters' view, with the counts ECS keeps. */
export function clusterView(
  cluster: ClusterRecord,
  counts: { runningTasks: number; pendingTasks: number; activeServices: number },
  includeTags: boolean,
): Cluster {
  return {
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: 'ACTIVE',
    registeredContainerInstancesCount: 0,
    runningTasksCount: counts.runningTasks,
    pendingTasksCount: counts.pendingTasks,
    activeServicesCount: counts.activeServices,
    statistics: [],
    settings: [{ name: 'containerInsights', value: 'disabled' }],
    capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
    defaultCapacityProviderStrategy: [],
    ...(includeTags ? { tags: cluster.tags.map((t) => ({ ...t })) } : {}),
  };
}
