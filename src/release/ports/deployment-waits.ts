import type { StabilityQuery } from '../rollout-state.ts';

/**
 * A release execution waiting on a service deployment (a `.waitForTaskToken`
 * task): the query its old poll made, and the token that resumes it. The token
 * is a secret: it is stored here and given to Step Functions, nowhere else.
 */
export interface DeploymentWait {
  /** `<cluster name>/<service name>`: what an ECS event's service ARN names. */
  service: string;
  serviceDeploymentArn: string;
  query: StabilityQuery;
  taskToken: string;
  /** When the wait is forgotten if nothing answered it (epoch seconds; the table's TTL). */
  expiresAt: number;
}

/** Where waits are kept (DeploymentWaitsTable: pk service, sk serviceDeploymentArn). Throttling rejects with TransientError. */
export interface DeploymentWaitStore {
  put(wait: DeploymentWait): Promise<void>;
  /** The waits on one service's deployments. */
  forService(service: string): Promise<DeploymentWait[]>;
  /** Every wait (the reconcile's walk; the table holds only the waits in progress). */
  all(): Promise<DeploymentWait[]>;
  /** Removes the wait if it still holds `taskToken`: true for the one caller that removed it. */
  remove(wait: Pick<DeploymentWait, 'service' | 'serviceDeploymentArn' | 'taskToken'>): Promise<boolean>;
}

/** What answering a waiting task did: delivered, or the task is gone (answered before, timed out, ended). */
export type CallbackAnswer = 'DELIVERED' | 'EXPIRED';

/** Step Functions' task callbacks. Throttling rejects with TransientError; a gone task answers EXPIRED. */
export interface TaskCallbacks {
  succeed(taskToken: string, output: Record<string, unknown>): Promise<CallbackAnswer>;
  fail(taskToken: string, error: string, cause: string): Promise<CallbackAnswer>;
  heartbeat(taskToken: string): Promise<CallbackAnswer>;
}
