import { type CanaryCheckPorts, type CanaryCheckRequest, checkCanary } from '../../src/canary/check.ts';

// What the lab asks of a judge: one analysis of one step, as the release state
// machine's CanaryCheck state asks canary-check. The production judge is
// checkCanary itself; the bench adds reference implementations of other tools'
// documented rules behind the same interface.

/** What a judge answers: the decision the state machine branches on, the verdict behind it, and what to pass back next time. */
export interface JudgeAnswer<State> {
  /** continue | wait | ask | rollback; anything else stops the lab with an error naming it. */
  decision: string;
  /** `fail` when a rollback is for a worse canary; anything else counts as for want of data. */
  verdict: string;
  state: State;
}

/** A canary judge the lab can run: given one analysis's request (window, policy) and the metrics, decides. */
export interface LabJudge<State = unknown> {
  readonly name: string;
  /** One analysis; `state` is what the judge answered last (undefined at first, and after a step for a judge that resets). */
  analyse(request: CanaryCheckRequest, ports: CanaryCheckPorts, state: State | undefined): Promise<JudgeAnswer<State>>;
  /** Whether its state starts again at each traffic step, as the state machine's history does at Advance. */
  readonly resetsAtNextStep: boolean;
}

type History = CanaryCheckRequest['history'];

/** The production judgement: src/canary's checkCanary, with its history passed back as the state machine does. */
export const productionJudge: LabJudge<History> = {
  name: 'release-automation',
  resetsAtNextStep: true,
  async analyse(request, ports, state) {
    const result = await checkCanary(state === undefined ? request : { ...request, history: state }, ports);
    return { decision: result.decision, verdict: result.verdict, state: result.history };
  },
};
