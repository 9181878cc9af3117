import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { awsCall } from '../../platform/aws-errors.ts';

/** Runs a conditional write: true when it took effect, false when its condition failed. */
export async function conditional(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await awsCall('DynamoDB conditional write', write);
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
