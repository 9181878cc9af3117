// Callback task tokens (`.waitForTaskToken`): a token is issued when a task
// reads `$$.Task.Token`, and the task waits until SendTaskSuccess or
// SendTaskFailure names it, its heartbeat lapses, or its execution ends.
import { randomBytes } from 'node:crypto';
import { AwsApiError } from '../aws/service.ts';

/** The error a callback task fails with, as Step Functions names it. */
export class TaskFailedError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

interface PendingTask {
  executionArn: string;
  heartbeatSeconds?: number;
  heartbeatTimer?: NodeJS.Timeout;
  settled: boolean;
  /** Whether the task waits on the token yet (its function has returned). */
  waited?: boolean;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
  promise: Promise<unknown>;
}

const TOKEN = /^[A-Za-z0-9_-]{1,1024}$/;

export class TaskTokens {
  readonly #pending = new Map<string, PendingTask>();
  // Tokens answered while their task's function still ran (as AWS allows: the token is valid once
  // the task is scheduled), kept until the task waits on them.
  readonly #answeredEarly = new Map<string, PendingTask>();

  /** A new token of `executionArn`'s task (issued when the task's Parameters read `$$.Task.Token`). */
  issue(executionArn: string): string {
    const token = randomBytes(96).toString('base64url');
    const { promise, resolve, reject } = Promise.withResolvers<unknown>();
    // The task may fail before anyone awaits it (e.g. its execution stops first).
    promise.catch(() => undefined);
    this.#pending.set(token, { executionArn, settled: false, resolve, reject, promise });
    return token;
  }

  /**
   * Waits for the token's outcome: the SendTaskSuccess output, or a
   * TaskFailedError (SendTaskFailure, or no heartbeat within `heartbeatSeconds`).
   */
  wait(token: string, heartbeatSeconds?: number): Promise<unknown> {
    const early = this.#answeredEarly.get(token);
    if (early) {
      this.#answeredEarly.delete(token);
      return early.promise;
    }
    const task = this.#pending.get(token);
    if (!task) return Promise.reject(new TaskFailedError('States.Runtime', 'unknown task token'));
    task.waited = true;
    task.heartbeatSeconds = heartbeatSeconds;
    this.#armHeartbeat(token, task);
    return task.promise;
  }

  succeed(token: string, output: unknown): void {
    this.#settle(token, (task) => task.resolve(output));
  }

  fail(token: string, error: string | undefined, cause: string | undefined): void {
    this.#settle(token, (task) => task.reject(new TaskFailedError(error ?? 'States.TaskFailed', cause ?? '')));
  }

  heartbeat(token: string): void {
    const task = this.#live(token);
    this.#armHeartbeat(token, task);
  }

  /** Ends every wait of an execution that stopped. */
  cancel(executionArn: string): void {
    for (const [token, task] of this.#answeredEarly) {
      if (task.executionArn === executionArn) this.#answeredEarly.delete(token);
    }
    for (const [token, task] of this.#pending) {
      if (task.executionArn !== executionArn) continue;
      clearTimeout(task.heartbeatTimer);
      task.settled = true;
      task.reject(new TaskFailedError('States.Runtime', 'the execution ended'));
      this.#pending.delete(token);
    }
  }

  #live(token: string): PendingTask {
    if (!TOKEN.test(token)) throw new AwsApiError('InvalidToken', 'Invalid Token: the task token is malformed');
    const task = this.#pending.get(token);
    if (!task || task.settled) throw new AwsApiError('TaskDoesNotExist', 'Task Timed Out or does not exist');
    return task;
  }

  #settle(token: string, settle: (task: PendingTask) => void): void {
    const task = this.#live(token);
    clearTimeout(task.heartbeatTimer);
    task.settled = true;
    this.#pending.delete(token);
    if (!task.waited) this.#answeredEarly.set(token, task);
    settle(task);
  }

  #armHeartbeat(token: string, task: PendingTask): void {
    if (task.heartbeatSeconds === undefined) return;
    clearTimeout(task.heartbeatTimer);
    task.heartbeatTimer = setTimeout(() => {
      this.#settle(token, (lapsed) =>
        lapsed.reject(new TaskFailedError('States.HeartbeatTimeout', 'no heartbeat in time')),
      );
    }, task.heartbeatSeconds * 1000);
  }
}
