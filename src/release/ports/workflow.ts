import type { PlanResult } from '../release.ts';

/** What answering a waiting task did: delivered, or the task is gone (timed out, ended, or the token is not valid). */
export type TaskAnswer = 'DELIVERED' | 'EXPIRED';

/** The release state machine as Slack drives it. Throttling rejects with TransientError. */
export interface ReleaseWorkflow {
  /** Resumes an approval task (SendTaskSuccess). */
  approve(taskToken: string, output: Record<string, unknown>): Promise<TaskAnswer>;
  /** Fails an approval task with `error` (SendTaskFailure). */
  reject(taskToken: string, error: string, cause: string): Promise<TaskAnswer>;
  /** Starts a release execution with planned releases; `name` makes a repeated start the same execution. */
  start(name: string, planned: PlanResult): Promise<{ executionArn: string }>;
}
