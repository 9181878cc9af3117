import type {
  Cluster,
  CreateClusterResponse,
  DescribeClustersResponse,
  Failure,
  ListClustersResponse,
} from '@aws-sdk/client-ecs';
import type { InputReader } from '../aws/input-reader.ts';
import { page } from '../aws/paging.ts';
import { readTags } from '../aws/tags.ts';
import { clusterView } from './clusters.ts';
import type { EcsState } from './state.ts';
import { ECS_INVALID_TOKEN } from './wire.ts';

// CreateCluster, DescribeClusters, ListClusters.

export function createCluster(state: EcsState, reader: InputReader): CreateClusterResponse {
  const cluster = state.clusters.create(reader.optionalString('clusterName') ?? 'default', readTags(reader));
  return { cluster: view(state, cluster, true) };
}

function view(state: EcsState, cluster: ReturnType<EcsState['clusters']['create']>, includeTags: boolean): Cluster {
  const live = state.tasks.inCluster(cluster.arn).filter((t) => t.desiredStatus === 'RUNNING');
  return clusterView(
    cluster,
    {
      runningTasks: live.filter((t) => t.lastStatus === 'RUNNING').length,
      pendingTasks: live.filter((t) => t.lastStatus !== 'RUNNING').length,
      activeServices: state.services.inCluster(cluster).filter((s) => s.status === 'ACTIVE').length,
    },
    includeTags,
  );
}

export function describeClusters(state: EcsState, reader: InputReader): DescribeClustersResponse {
  const names = reader.optionalStringArray('clusters') ?? ['default'];
  const includeTags = (reader.optionalStringArray('include') ?? []).includes('TAGS');
  const clusters: Cluster[] = [];
  const failures: Failure[] = [];
  for (const name of names) {
    const cluster = state.clusters.find(name);
    if (cluster) clusters.push(view(state, cluster, includeTags));
    else failures.push({ arn: name.startsWith('arn:') ? name : state.arns.cluster(name), reason: 'MISSING' });
  }
  return { clusters, failures };
}

export function listClusters(state: EcsState, reader: InputReader): ListClustersResponse {
  const arns = state.clusters.list().map((c) => c.arn);
  const { items, nextToken } = page(
    arns,
    reader.optionalString('nextToken'),
    reader.optionalInteger('maxResults', 1, 100) ?? 100,
    ECS_INVALID_TOKEN,
  );
  return { clusterArns: items, ...(nextToken ? { nextToken } : {}) };
}
