import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { awsCall } from '../../platform/aws-errors.ts';
import type { Approval, ApprovalStore, DecideResult } from '../ports/approvals.ts';
import { parseStoredApproval } from '../schema.ts';

/** Where approvals and release records live. */
export interface DynamoApprovalStoreOptions {
  client: DynamoDBDocumentClient;
  approvalsTable: string;
  releasesTable: string;
}

// An approval is kept a week after it expires (TTL `expiration`, in epoch seconds): enough to tell a late click "expired".
const KEEP_SECONDS = 7 * 24 * 60 * 60;

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException ||
  (error instanceof Error && error.name === 'ConditionalCheckFailedException');

/** The approval store on DynamoDB: ApprovalsTable (pk approvalId); decisions also land on ReleasesTable. */
export function createDynamoApprovalStore(options: DynamoApprovalStoreOptions): ApprovalStore {
  const { client, approvalsTable, releasesTable } = options;

  const readItem = async (approvalId: string) =>
    (
      await awsCall('DynamoDB GetItem', () =>
        client.send(new GetCommand({ TableName: approvalsTable, Key: { approvalId }, ConsistentRead: true })),
      )
    ).Item;

  return {
    async open(approval, taskToken) {
      const expiration = Math.floor(Date.parse(approval.expiresAt) / 1000) + KEEP_SECONDS;
      try {
        await awsCall('DynamoDB PutItem', () =>
          client.send(
            new PutCommand({
              TableName: approvalsTable,
              Item: { ...approval, taskToken, expiration },
              // A retried request of the same release replaces its pending approval; a decided one stands.
              ConditionExpression: 'attribute_not_exists(approvalId) OR #status = :pending',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':pending': 'PENDING' },
            }),
          ),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },

    async read(approvalId) {
      const item = await readItem(approvalId);
      return item ? toApproval(item) : undefined;
    },

    async setMessage(approvalId, message) {
      await awsCall('DynamoDB UpdateItem', () =>
        client.send(
          new UpdateCommand({
            TableName: approvalsTable,
            Key: { approvalId },
            UpdateExpression: 'SET message = :message',
            ConditionExpression: 'attribute_exists(approvalId)',
            ExpressionAttributeValues: { ':message': message },
          }),
        ),
      );
    },

    async decide(approvalId, decision): Promise<DecideResult> {
      try {
        const { Attributes } = await awsCall('DynamoDB UpdateItem', () =>
          client.send(
            new UpdateCommand({
              TableName: approvalsTable,
              Key: { approvalId },
              UpdateExpression:
                'SET #status = :status, decidedBy = :by, decidedAt = :at' +
                (decision.reason ? ', reason = :reason' : ''),
              ConditionExpression: '#status = :pending',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':status': decision.status,
                ':by': decision.by,
                ':at': decision.at,
                ':pending': 'PENDING',
                ...(decision.reason ? { ':reason': decision.reason } : {}),
              },
              ReturnValues: 'ALL_NEW',
            }),
          ),
        );
        const taskToken = Attributes?.taskToken;
        if (typeof taskToken === 'string') return { decided: true, taskToken };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const current = await readItem(approvalId);
      if (!current) throw new Error(`approval ${approvalId} vanished while being decided`);
      return { decided: false, current: toApproval(current) };
    },

    async reopen(approvalId, decision) {
      try {
        await awsCall('DynamoDB UpdateItem', () =>
          client.send(
            new UpdateCommand({
              TableName: approvalsTable,
              Key: { approvalId },
              UpdateExpression: 'SET #status = :pending REMOVE decidedBy, decidedAt, reason',
              ConditionExpression: '#status = :status AND decidedBy = :by AND decidedAt = :at',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':pending': 'PENDING',
                ':status': decision.status,
                ':by': decision.by,
                ':at': decision.at,
              },
            }),
          ),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },

    async forgetToken(approvalId) {
      await awsCall('DynamoDB UpdateItem', () =>
        client.send(
          new UpdateCommand({
            TableName: approvalsTable,
            Key: { approvalId },
            UpdateExpression: 'REMOVE taskToken',
            ConditionExpression: 'attribute_exists(approvalId)',
          }),
        ),
      );
    },

    async recordDecision(releaseId, decision) {
      try {
        await awsCall('DynamoDB UpdateItem', () =>
          client.send(
            new UpdateCommand({
              TableName: releasesTable,
              Key: { releaseId },
              UpdateExpression: 'SET decisions = list_append(if_not_exists(decisions, :none), :decision)',
              ConditionExpression: 'attribute_exists(releaseId)',
              ExpressionAttributeValues: { ':none': [], ':decision': [decision] },
            }),
          ),
        );
      } catch (error) {
        // The record is written by claim before any approval is asked; without it there is nothing to annotate.
        if (!isConditionFailure(error)) throw error;
      }
    },
  };
}

function toApproval(item: Record<string, unknown>): Approval {
  const approval = parseStoredApproval(item);
  if (!approval) throw new MalformedApprovalError(`approval ${String(item.approvalId)} does not match its schema`);
  return approval;
}

/** A stored approval that does not match its schema: deciding on it could mislead. */
export class MalformedApprovalError extends Error {
  override readonly name = 'MalformedApprovalError';
}
