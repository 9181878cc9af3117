import type { HistoryEventLike } from '../cost.ts';

/** An execution's history (every page), for counting what it did. */
export interface ExecutionHistory {
  read(executionArn: string): Promise<HistoryEventLike[]>;
}
