import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { awsCall } from '../../platform/aws-errors.ts';
import { TransientError } from '../../platform/errors.ts';
import { type KeptAnalysis, keptAnalysisSchema, withAnalysis } from '../kept-analyses.ts';
import { conditional } from './conditional-write.ts';

// The analyses a release record keeps (kept-analyses.ts), on ReleasesTable.
// Keeping the newest N is a read, then a write conditional on the count read:
// DynamoDB cannot append to a list and trim its head in one update. Only the
// release's own execution writes them, one analysis at a time, so the
// condition fails only when a retried step raced its first attempt.

const ATTEMPTS = 3;
const keptSchema = z.array(keptAnalysisSchema).catch([]);

/** Adds `analysis` to the record of `releaseId` if `executionId` owns it; false when it does not (or no record). */
export async function recordAnalysis(
  client: DynamoDBDocumentClient,
  releasesTable: string,
  releaseId: string,
  executionId: string,
  analysis: KeptAnalysis,
): Promise<boolean> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const { Item } = await awsCall('DynamoDB GetItem', () =>
      client.send(
        new GetCommand({
          TableName: releasesTable,
          Key: { releaseId },
          ConsistentRead: true,
          ProjectionExpression: 'executionId, analyses, analysesRecorded',
        }),
      ),
    );
    if (Item?.executionId !== executionId) return false;
    const analyses = keptSchema.parse(Item.analyses);
    const seen = typeof Item.analysesRecorded === 'number' ? Item.analysesRecorded : undefined;
    const next = withAnalysis({ analyses, recorded: seen ?? analyses.length }, analysis);
    if (next === undefined) return true;
    const written = await conditional(() =>
      client.send(
        new UpdateCommand({
          TableName: releasesTable,
          Key: { releaseId },
          UpdateExpression: 'SET analyses = :analyses, analysesRecorded = :recorded',
          ConditionExpression: `executionId = :executionId AND ${seen === undefined ? 'attribute_not_exists(analysesRecorded)' : 'analysesRecorded = :seen'}`,
          ExpressionAttributeValues: {
            ':analyses': next.analyses,
            ':recorded': next.recorded,
            ':executionId': executionId,
            ...(seen === undefined ? {} : { ':seen': seen }),
          },
        }),
      ),
    );
    if (written) return true;
  }
  throw new TransientError(`the analyses of release ${releaseId} changed ${ATTEMPTS} times while being recorded`);
}
