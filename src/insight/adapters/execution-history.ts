import { GetExecutionHistoryCommand, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';
import type { ExecutionHistory } from '../ports/execution-history.ts';

/** An execution's whole history through GetExecutionHistory, page by page. */
export function sfnExecutionHistory(sfn: SFNClient): ExecutionHistory {
  return {
    async read(executionArn: string) {
      const events: HistoryEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
        events.push(...(page.events ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      return events;
    },
  };
}
