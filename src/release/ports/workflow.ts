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

/** What starting an execution by name did: started it, or one of that name already exists. */
export type StartOutcome = 'STARTED' | 'ALREADY_STARTED';

/** The release state machine as the push reconciler starts it: with the input an ECR push event gives. */
export interface PushStarter {
  /** Starts an execution named `name` (unique per state machine, so a repeated start is not a second one). */
  startPush(name: string, event: Record<string, unknown>): Promise<StartOutcome>;
}
