import {
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { awsCall } from '../../platform/aws-errors.ts';
import { redacted } from '../../platform/redact.ts';
import type { CallbackAnswer, DeploymentWait, DeploymentWaitStore, TaskCallbacks } from '../ports/deployment-waits.ts';
import type { StabilityQuery } from '../rollout-state.ts';
import { conditional } from './conditional-write.ts';
import { sendTaskCallback } from './task-callback.ts';

// DeploymentWaitsTable (pk service, sk serviceDeploymentArn, TTL expiresAt):
// the waits in progress, each with its task token. Errors never carry the token.

/** The waits on `table` through `client`. */
export function createDeploymentWaitStore(client: DynamoDBDocumentClient, table: string): DeploymentWaitStore {
  const safely = async <T>(operation: string, call: () => Promise<T>, token?: string): Promise<T> => {
    try {
      return await awsCall(operation, call);
    } catch (error) {
      throw token === undefined ? error : redacted(error, token);
    }
  };
  const items = (found: Record<string, unknown>[] | undefined): DeploymentWait[] =>
    (found ?? []).flatMap((item) => (isWait(item) ? [item] : []));
  return {
    async put(wait) {
      await safely(
        'DynamoDB PutItem',
        () => client.send(new PutCommand({ TableName: table, Item: wait })),
        wait.taskToken,
      );
    },
    async forService(service) {
      const waits: DeploymentWait[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await safely('DynamoDB Query', () =>
          client.send(
            new QueryCommand({
              TableName: table,
              KeyConditionExpression: 'service = :service',
              ExpressionAttributeValues: { ':service': service },
              ConsistentRead: true,
              ExclusiveStartKey,
            }),
          ),
        );
        waits.push(...items(page.Items));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey !== undefined);
      return waits;
    },
    async all() {
      const waits: DeploymentWait[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await safely('DynamoDB Scan', () =>
          client.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey })),
        );
        waits.push(...items(page.Items));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey !== undefined);
      return waits;
    },
    remove({ service, serviceDeploymentArn, taskToken }) {
      return safely(
        'DynamoDB DeleteItem',
        () =>
          conditional(() =>
            client.send(
              new DeleteCommand({
                TableName: table,
                Key: { service, serviceDeploymentArn },
                ConditionExpression: 'taskToken = :token',
                ExpressionAttributeValues: { ':token': taskToken },
              }),
            ),
          ),
        taskToken,
      );
    },
  };
}

function isWait(item: Record<string, unknown>): item is Record<string, unknown> & DeploymentWait {
  return (
    typeof item.service === 'string' &&
    typeof item.serviceDeploymentArn === 'string' &&
    typeof item.taskToken === 'string' &&
    typeof item.expiresAt === 'number' &&
    typeof (item.query as StabilityQuery | undefined)?.serviceDeploymentArn === 'string'
  );
}

const answer = (operation: string, send: () => Promise<unknown>): Promise<CallbackAnswer> =>
  sendTaskCallback(operation, (name) => `Step Functions refused ${operation} (${name})`, send);

/** Step Functions' task callbacks through `client`. */
export function createTaskCallbacks(client: SFNClient): TaskCallbacks {
  return {
    succeed: (taskToken, output) =>
      answer('SendTaskSuccess', () =>
        client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })),
      ),
    fail: (taskToken, error, cause) =>
      answer('SendTaskFailure', () => client.send(new SendTaskFailureCommand({ taskToken, error, cause }))),
    heartbeat: (taskToken) =>
      answer('SendTaskHeartbeat', () => client.send(new SendTaskHeartbeatCommand({ taskToken }))),
  };
}
