import type { ListTagsForResourceResponse } from '@aws-sdk/client-ecs';
import type { InputReader } from '../aws/input-reader.ts';
import { AwsApiError } from '../aws/service.ts';
import type { EcsState } from './state.ts';

// ListTagsForResource: the tags of a cluster, service, task definition or
// task, by ARN. Tagging needs ECS's long ARN format (the cluster in service
// and task ARNs), as in AWS. Lookups go by the whole ARN, so another
// account's or region's resource is as unknown as a missing one.

type Tags = { key: string; value: string }[];

const ECS_ARN = /^arn:aws:ecs:([a-z0-9-]+):(\d{12}):([a-z-]+)\/(.+)$/;

function invalidArn(): never {
  throw new AwsApiError('InvalidParameterException', 'The ARN provided is invalid.');
}

function tagsOf(state: EcsState, arn: string, prefix: string, type: string, path: string[]): Tags {
  if (type === 'cluster') {
    if (path.length !== 1) invalidArn();
    return state.clusters.require(arn).tags;
  }
  if (type === 'task-definition') {
    if (path.length !== 1 || !/^[a-zA-Z0-9_-]{1,255}:\d+$/.test(path[0] ?? '')) invalidArn();
    return state.taskDefinitions.require(arn).tags;
  }
  if (type !== 'service' && type !== 'task') invalidArn();
  if (path.length === 1)
    throw new AwsApiError('InvalidParameterException', 'Long arn format must be used for tagging operations');
  if (path.length !== 2) invalidArn();
  const cluster = state.clusters.require(`${prefix}cluster/${path[0]}`);
  if (type === 'service') return state.services.require(cluster, arn).tags;
  const task = state.tasks.find(cluster.arn, arn);
  if (!task) throw new AwsApiError('InvalidParameterException', 'The referenced task was not found.');
  return task.tags;
}

export function listTagsForResource(state: EcsState, reader: InputReader): ListTagsForResourceResponse {
  const arn = reader.string('resourceArn');
  const match = ECS_ARN.exec(arn);
  if (!match) return invalidArn();
  const [, region, account, type = '', rest = ''] = match;
  const tags = tagsOf(state, arn, `arn:aws:ecs:${region}:${account}:`, type, rest.split('/'));
  return { tags: tags.map((t) => ({ ...t })) };
}
