import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { awsCall } from '../../platform/aws-errors.ts';
import { TransientError } from '../../platform/errors.ts';
import { GITHUB_RELEASE_DETAIL_TYPE, GITHUB_RELEASE_SOURCE, type GitHubReleaseDetail } from '../events/release.ts';

/** The project's own event bus, as the entry points put events on it. */
export interface ReleaseEvents {
  /** Puts a published GitHub release on the bus; rejects when EventBridge did not take it. */
  publishGitHubRelease(detail: GitHubReleaseDetail): Promise<string>;
}

/** ReleaseEvents over an AWS SDK v3 EventBridge client (created once per cold start by the caller). */
export function createReleaseEvents(client: EventBridgeClient, eventBusName: string): ReleaseEvents {
  return {
    async publishGitHubRelease(detail) {
      const output = await awsCall('PutEvents', () =>
        client.send(
          new PutEventsCommand({
            Entries: [
              {
                EventBusName: eventBusName,
                Source: GITHUB_RELEASE_SOURCE,
                DetailType: GITHUB_RELEASE_DETAIL_TYPE,
                Detail: JSON.stringify(detail),
              },
            ],
          }),
        ),
      );
      const [entry] = output.Entries ?? [];
      // PutEvents answers 200 with a failed entry: throttled, or an internal failure worth another try.
      if (output.FailedEntryCount || !entry?.EventId) {
        throw new TransientError(
          `EventBridge did not take the GitHub release event: ${entry?.ErrorCode ?? 'no event id'} ${entry?.ErrorMessage ?? ''}`.trim(),
        );
      }
      return entry.EventId;
    },
  };
}
