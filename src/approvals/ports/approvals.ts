import type { PostedMessage } from '../../platform/notifier.ts';
import type { ApprovalDecisionRecord, ApprovalVerdict, ReleaseRequest, StoredRelease } from '../../release/index.ts';
import type { CanaryQuestion } from '../canary-question.ts';

/** PENDING until someone (or the timeout) decides. */
export type ApprovalStatus = 'PENDING' | ApprovalVerdict;

/** An approval as stored, without its task token (which never leaves the store but to Step Functions). */
export interface Approval {
  /** Short and deterministic per release: what the buttons and `/release approve <id>` carry. */
  approvalId: string;
  releaseId: string;
  executionId: string;
  /** The release waiting for it: what the message shows and who asked. */
  request: ReleaseRequest;
  /** Set when an inconclusive canary asks whether to continue (Approve) or roll back (Reject), not whether to release. */
  canary?: CanaryQuestion;
  /** What ran on the target when the approval was asked. */
  live?: LiveRelease;
  status: ApprovalStatus;
  createdAt: string;
  /** When the approval task times out (createdAt + its TimeoutSeconds). */
  expiresAt: string;
  /** The approval message, once posted. */
  message?: PostedMessage;
  decidedBy?: string;
  decidedAt?: string;
  reason?: string;
}

/** What a decision writes. */
export interface ApprovalDecision {
  status: ApprovalVerdict;
  by: string;
  at: string;
  reason?: string;
}

/** The outcome of a conditional decision: this one won (with the token to answer), or the approval was decided already. */
export type DecideResult = { decided: true; taskToken: string } | { decided: false; current: Approval };

/** Approvals and their task tokens (DynamoDB); every decision is a conditional write. */
export interface ApprovalStore {
  /** Stores a pending approval with its task token; a retried request (same id, still pending) replaces the token. */
  open(approval: Approval, taskToken: string): Promise<void>;
  /** Reads an approval (strongly consistent), never its token; undefined when unknown. */
  read(approvalId: string): Promise<Approval | undefined>;
  /** Remembers where the approval message was posted. */
  setMessage(approvalId: string, message: PostedMessage): Promise<void>;
  /** Decides a pending approval; the first decision wins. */
  decide(approvalId: string, decision: ApprovalDecision): Promise<DecideResult>;
  /** Puts a decision back to pending (its answer could not be delivered and may be given again). */
  reopen(approvalId: string, decision: ApprovalDecision): Promise<void>;
  /** Drops the token once Step Functions has the answer, or the task is gone. */
  forgetToken(approvalId: string): Promise<void>;
  /** Appends a decision to the release's record (who, when, what). */
  recordDecision(releaseId: string, decision: ApprovalDecisionRecord): Promise<void>;
}

/** The target's last successful release, as the approval message shows it. */
export type LiveRelease = Pick<StoredRelease, 'releaseId' | 'tag' | 'digest' | 'startedAt' | 'endedAt'>;
