import { NamedError, TransientError } from '../platform/errors.ts';
import { placeOfDeployment, serviceKey } from './events/ecs-service.ts';
import type { CallbackAnswer, DeploymentWait, DeploymentWaitStore, TaskCallbacks } from './ports/deployment-waits.ts';
import { type EcsForTargets, sessionOf } from './ports/targets.ts';
import type { StabilityQuery, StabilityResult } from './rollout-state.ts';
import { checkStability, type StabilityPorts } from './stability.ts';

// Waits that wake on ECS's events (issue 17). A release's wait on a service
// deployment is a `.waitForTaskToken` task: awaitDeployment stores its token
// under the service, then looks once; an ECS event for the service, or the
// periodic reconcile, looks again and answers the task when the deployment
// has something to say. Every answer comes from ECS itself (checkStability,
// as the old poll's), never from an event, so a lost, repeated, late or forged
// event changes nothing wrong; the reconcile keeps correctness when events never come.

/** What settling waits reads and writes: ECS (and the controls) as checkStability does, the waits, the callbacks. */
export interface WaitPorts extends EcsForTargets<StabilityPorts> {
  waits: DeploymentWaitStore;
  callbacks: TaskCallbacks;
}

/** What one look at a wait did: answered its task, left it waiting, or found its task gone (the wait removed). */
export type WaitOutcome = 'ANSWERED' | 'WAITING' | 'GONE';

// A wait nobody answers is forgotten an hour after its deadline (the table's TTL).
const FORGET_AFTER_DEADLINE_SECONDS = 3600;

/**
 * Stores the task's wait, then looks at the deployment once: a deployment that is
 * already over (or a release already aborted) is answered at once. Stored first, so
 * an event that comes between the look and the store is not missed.
 */
export async function awaitDeployment(
  { taskToken, ...query }: StabilityQuery & { taskToken: string },
  ports: WaitPorts,
): Promise<{ waiting: boolean }> {
  const deadline = Math.max(Date.parse(query.deadline), ports.now().getTime());
  const wait: DeploymentWait = {
    service: serviceKey(query.cluster, query.ecsService, placeOfDeployment(query.serviceDeploymentArn)),
    serviceDeploymentArn: query.serviceDeploymentArn,
    query,
    taskToken,
    expiresAt: Math.ceil(deadline / 1000) + FORGET_AFTER_DEADLINE_SECONDS,
  };
  await ports.waits.put(wait);
  try {
    return { waiting: (await settleWait(wait, ports)) === 'WAITING' };
  } catch (error) {
    // The task fails (and is retried with a new token): this one will never be answered.
    await ports.waits.remove(wait).catch(() => false);
    throw error;
  }
}

/**
 * Looks at a wait's deployment and answers its task when there is something to say:
 * SUCCESSFUL (or a native rollout's next step) with the result the old check returned;
 * a failure or the deadline as the task's error, named as the old check threw it; a
 * `release abort` of a rolling release as ReleaseAborted. So a rolling wait's task
 * succeeds only with SUCCESSFUL, and goes on with no Choice after it. A transient failure is thrown: the wait stays for
 * the next event or reconcile. Answering twice is harmless (the second finds the task gone).
 */
export async function settleWait(wait: DeploymentWait, ports: WaitPorts): Promise<WaitOutcome> {
  let answer: () => Promise<CallbackAnswer>;
  try {
    // ECS where the release's target lives (its account and region, through its role's session).
    const ecs = ports.ecsFor(wait.query.access, sessionOf(wait.query));
    const result = await checkStability(wait.query, { ...ports, ecs });
    if (!wakes(result)) return 'WAITING';
    const { control } = result;
    if (result.next === 'abort' && wait.query.native === undefined && control !== undefined) {
      // As the Aborted state words it after a poll: the wait's task goes straight to the rollback.
      const cause = `aborted by ${control.requestedBy} at ${control.requestedAt}`;
      answer = () => ports.callbacks.fail(wait.taskToken, 'ReleaseAborted', cause);
    } else {
      answer = () => ports.callbacks.succeed(wait.taskToken, result);
    }
  } catch (error) {
    if (!(error instanceof NamedError) || error instanceof TransientError) throw error;
    // The cause as Lambda gives a function's error, so the release's reasons read the same.
    const cause = JSON.stringify({ errorType: error.name, errorMessage: error.message });
    answer = () => ports.callbacks.fail(wait.taskToken, error.name, cause);
  }
  const answered = await answer();
  await ports.waits.remove(wait);
  return answered === 'DELIVERED' ? 'ANSWERED' : 'GONE';
}

/** A result the waiting release acts on; IN_PROGRESS (or a native rollout's `wait`) keeps it waiting. */
function wakes(result: StabilityResult): boolean {
  return result.status === 'SUCCESSFUL' || (result.next !== undefined && result.next !== 'wait');
}

/** What settling several waits did, by outcome; `failed`: looks that failed transiently (the waits stay). */
export interface SettleReport {
  answered: number;
  waiting: number;
  gone: number;
  failed: number;
}

/**
 * Settles each of `waits` (independently: one that fails leaves the others to be
 * looked at). With `heartbeat`, a task still waiting is told so (its HeartbeatSeconds
 * restart), and a wait whose task is gone is removed.
 */
export async function settleWaits(
  waits: readonly DeploymentWait[],
  ports: WaitPorts,
  { heartbeat = false } = {},
): Promise<SettleReport> {
  const report: SettleReport = { answered: 0, waiting: 0, gone: 0, failed: 0 };
  await Promise.all(
    waits.map(async (wait) => {
      try {
        let outcome = await settleWait(wait, ports);
        if (outcome === 'WAITING' && heartbeat && (await ports.callbacks.heartbeat(wait.taskToken)) === 'EXPIRED') {
          await ports.waits.remove(wait);
          outcome = 'GONE';
        }
        report[outcome === 'ANSWERED' ? 'answered' : outcome === 'WAITING' ? 'waiting' : 'gone']++;
      } catch {
        report.failed++;
      }
    }),
  );
  return report;
}
