import type { CanaryCheckRequest } from '../../src/canary/index.ts';
import { EndlessReleaseError, UnknownDecisionError } from './errors.ts';
import type { LabJudge } from './judge.ts';
import { SimulatedMetrics, timeAt } from './metrics.ts';
import type { RolloutSchedule } from './schedule.ts';
import type { TrialTraffic } from './traffic.ts';

// One release as the release state machine runs it (state-machines/release.asl.yml,
// PrepareRollout to Advance; src/release/native-watch.ts says when an analysis runs):
//   - while both revisions serve production, an analysis falls due an interval
//     after the last one (or after the step began), over everything since the
//     release began; during the step's bake `continue` and `wait` both go on
//     watching; once the bake is over ECS pauses at the next shift's hook, and
//     there `continue` advances to the next step (history starts again) while
//     `wait` analyses again an interval later: the bake is extended;
//   - once all traffic is on the new revision, analyses during ECS's final bake
//     judge it since the shift against the stable revision over as long a window
//     just before the release; the release is promoted when that bake ends;
//   - `ask` stops the trial (a person would answer); `rollback` rolls it back.

/** How one simulated release ended. */
export type TrialOutcome =
  | { outcome: 'promoted'; analyses: number; extended: boolean }
  | { outcome: 'asked'; analyses: number; extended: boolean }
  | { outcome: 'rolledBack'; analyses: number; extended: boolean; onFailure: boolean };

// ECS keeps a lifecycle hook paused at most this long; a judge waiting past it is broken.
const LONGEST_RELEASE_MINUTES = 24 * 60;
const KNOWN = ['continue', 'wait', 'extend', 'ask', 'rollback'];

/** What a trial needs: the request every analysis starts from, the judge, the rollout, the traffic. */
export interface TrialSetup<State> {
  request: CanaryCheckRequest;
  judge: LabJudge<State>;
  schedule: RolloutSchedule;
  traffic: TrialTraffic;
}

/** Runs one release through the judge, analysis by analysis. */
export async function runTrial<State>({ request, judge, schedule, traffic }: TrialSetup<State>): Promise<TrialOutcome> {
  const interval = request.policy.intervalSeconds / 60;
  const metrics = new SimulatedMetrics(traffic);
  let analyses = 0;
  let extended = false;
  let now = 0;
  // As CheckRollout's status reaches CanaryCheck: PAUSED once the step's bake is over and ECS waits at its hook.
  const analyse = async (window: CanaryCheckRequest['window'], state: State | undefined, paused = false) => {
    analyses++;
    const rolloutStatus = paused ? 'PAUSED' : 'IN_PROGRESS';
    const answer = await judge.analyse(
      { ...request, window, rolloutStatus },
      { metrics, now: () => timeAt(now) },
      state,
    );
    if (!KNOWN.includes(answer.decision)) {
      throw new UnknownDecisionError(
        `judge ${judge.name} decided '${answer.decision}', which the state machine has no branch for`,
      );
    }
    return answer;
  };
  const ended = (answer: { decision: string; verdict: string }): TrialOutcome | undefined => {
    if (answer.decision === 'ask') return { outcome: 'asked', analyses, extended };
    if (answer.decision === 'rollback') {
      return { outcome: 'rolledBack', analyses, extended, onFailure: answer.verdict === 'fail' };
    }
    return undefined;
  };

  let state: State | undefined;
  for (const step of schedule.shared) {
    const stepStart = now;
    const hookAt = stepStart + step.bakeMinutes;
    if (judge.resetsAtNextStep) state = undefined;
    for (;;) {
      now += interval;
      if (now - stepStart > LONGEST_RELEASE_MINUTES) {
        throw new EndlessReleaseError(`judge ${judge.name} kept a step waiting for ${LONGEST_RELEASE_MINUTES} minutes`);
      }
      traffic.advanceTo(now, step.share);
      const atHook = now >= hookAt;
      const answer = await analyse({ since: timeAt(0) }, state, atHook);
      const end = ended(answer);
      if (end) return end;
      state = answer.state;
      if (atHook && answer.decision === 'continue') break;
      if (atHook) extended = true;
    }
  }

  const shiftedAt = now;
  if (judge.resetsAtNextStep) state = undefined;
  for (now = shiftedAt + interval; now < shiftedAt + schedule.finalBakeMinutes; now += interval) {
    traffic.advanceTo(now, 1);
    const answer = await analyse({ since: timeAt(shiftedAt), baselineBefore: timeAt(0) }, state);
    const end = ended(answer);
    if (end) return end;
    state = answer.state;
  }
  return { outcome: 'promoted', analyses, extended };
}
