import type { MarkdownText, MessageBlock } from '../platform/notifier.ts';
import { escapeText, type ReleaseRequest, type StoredRelease } from '../release/index.ts';
import type { CanaryQuestion } from './canary-question.ts';
import type { ApprovalStatus } from './ports/approvals.ts';

/** Who the record and the message name when a stopped release's approval is withdrawn. */
export const WITHDRAWN_BY = 'release stopped';

/** The action ids of the approval message's buttons (their value is the approval id). */
export const APPROVE_ACTION = 'approve';
export const REJECT_ACTION = 'reject';

/** What the approval message shows. */
export interface ApprovalMessageInput {
  approvalId: string;
  request: ReleaseRequest;
  /** The target's last successful release: what runs there now. */
  live?: Pick<StoredRelease, 'tag' | 'digest' | 'endedAt' | 'startedAt'>;
  /** Set when an inconclusive canary asks whether to continue or roll back. */
  canary?: CanaryQuestion;
  expiresAt: string;
  status: ApprovalStatus;
  decidedBy?: string;
  decidedAt?: string;
  reason?: string;
}

const md = (text: string): MarkdownText => ({ type: 'mrkdwn', text });
const short = (digest: string) => digest.replace(/^sha256:/, '').slice(0, 12);

/**
 * The approval message: the facts a reviewer needs and, while pending, the
 * Approve and Reject buttons. The task token is never part of it.
 */
export function composeApprovalMessage(input: ApprovalMessageInput): { text: string; blocks: MessageBlock[] } {
  const { request, approvalId } = input;
  const service = escapeText(request.target.service);
  const environment = escapeText(request.target.environment);
  const tag = escapeText(request.image.tag);
  const source = request.source;
  const fields = [
    md(`*Service*\n${service}`),
    md(`*Environment*\n${environment}`),
    md(`*Tag*\n\`${tag}\``),
    md(`*Digest*\n\`${short(request.image.digest)}\``),
    md(`*Commit*\n${source?.commit ? `\`${escapeText(source.commit.slice(0, 12))}\`` : 'unknown'}`),
    md(
      `*Release*\n${source?.url ? `<${escapeText(source.url)}|${escapeText(source.tag ?? request.image.tag)}>` : 'none'}`,
    ),
    md(`*Asked by*\n${asker(request)}`),
    md(`*Running now*\n${running(input.live, request.currentTaskDefinitionArn)}`),
  ];
  const head = input.canary
    ? canaryHeadline(input, input.canary, service, environment, tag)
    : headline(input, service, environment, tag);
  const blocks: MessageBlock[] = [{ type: 'section', text: md(head.markdown), fields }];
  if (input.canary) blocks.push({ type: 'section', text: md(findings(input.canary)) });
  const [yes, no] = input.canary ? ['Continue', 'Roll back'] : ['Approve', 'Reject'];
  if (input.status === 'PENDING') {
    blocks.push({
      type: 'actions',
      block_id: `approval:${approvalId}`,
      elements: [
        {
          type: 'button',
          action_id: APPROVE_ACTION,
          text: { type: 'plain_text', text: yes },
          value: approvalId,
          style: 'primary',
        },
        {
          type: 'button',
          action_id: REJECT_ACTION,
          text: { type: 'plain_text', text: no },
          value: approvalId,
          style: 'danger',
        },
      ],
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      md(
        `Approval \`${approvalId}\` · release ${escapeText(request.releaseId)} · \`/release approve ${approvalId}\`${input.canary ? ' (continue)' : ''} or \`/release reject ${approvalId} [reason]\`${input.canary ? ' (roll back)' : ''}`,
      ),
    ],
  });
  return { text: head.plain, blocks };
}

// Who decided, as a mention; nobody for a timeout or a withdrawal (not people).
const byWhom = (decidedBy: string | undefined): string =>
  decidedBy === 'timeout' || decidedBy === WITHDRAWN_BY || decidedBy === undefined
    ? ''
    : ` by <@${escapeText(decidedBy)}>`;

function headline(input: ApprovalMessageInput, service: string, environment: string, tag: string) {
  const what = `${service} ${tag} to ${environment}`;
  const by = byWhom(input.decidedBy);
  const when = input.decidedAt ? ` at ${input.decidedAt}` : '';
  const why = input.reason ? `: ${escapeText(input.reason)}` : '';
  switch (input.status) {
    case 'PENDING':
      return {
        markdown: `:raised_hand: Approval needed: release *${service}* \`${tag}\` to *${environment}* (until ${input.expiresAt})`,
        plain: `Approval needed: ${what} (approval ${input.approvalId})`,
      };
    case 'APPROVED':
      return {
        markdown: `:white_check_mark: Approved${by}${when}: releasing *${service}* \`${tag}\` to *${environment}*`,
        plain: `Approved${by}: ${what}`,
      };
    case 'REJECTED':
      return {
        markdown: `:no_entry: Rejected${by}${when}${why}: *${service}* \`${tag}\` is not released to *${environment}*`,
        plain: `Rejected${by}: ${what}`,
      };
    default:
      if (input.decidedBy === WITHDRAWN_BY) {
        return {
          markdown: `:black_square_for_stop: Withdrawn${when}: the release of *${service}* \`${tag}\` to *${environment}* stopped before anyone decided${why}; not released`,
          plain: `Withdrawn: ${what} stopped before anyone decided`,
        };
      }
      return {
        markdown: `:hourglass: Expired${when}: nobody approved *${service}* \`${tag}\` for *${environment}* in time; not released`,
        plain: `Expired: ${what} was not approved in time`,
      };
  }
}

// The canary's question: what the analysis could not decide, and what each answer does.
function canaryHeadline(
  input: ApprovalMessageInput,
  canary: CanaryQuestion,
  service: string,
  environment: string,
  tag: string,
) {
  const what = `the canary of ${service} ${tag} on ${environment}`;
  const by =
    input.decidedBy === 'timeout' || input.decidedBy === undefined ? '' : ` by <@${escapeText(input.decidedBy)}>`;
  const when = input.decidedAt ? ` at ${input.decidedAt}` : '';
  const why = input.reason ? `: ${escapeText(input.reason)}` : '';
  const said = canary.reason.replace(/\.$/, '');
  const reason = escapeText(said);
  switch (input.status) {
    case 'PENDING':
      return {
        markdown: `:grey_question: Canary inconclusive: *${service}* \`${tag}\` on *${environment}*: ${reason}. Continue or roll back? (until ${input.expiresAt}; then it rolls back)`,
        plain: `Canary inconclusive: ${what}: ${said}. Continue or roll back? (approval ${input.approvalId})`,
      };
    case 'APPROVED':
      return {
        markdown: `:white_check_mark: Continued${by}${when}: the canary of *${service}* \`${tag}\` on *${environment}* goes on`,
        plain: `Continued${by}: ${what}`,
      };
    case 'REJECTED':
      return {
        markdown: `:leftwards_arrow_with_hook: Rolled back${by}${when}${why}: the canary of *${service}* \`${tag}\` on *${environment}*`,
        plain: `Rolled back${by}: ${what}`,
      };
    default:
      return {
        markdown: `:hourglass: Expired${when}: nobody answered for the canary of *${service}* \`${tag}\` on *${environment}* in time; rolled back`,
        plain: `Expired: nobody answered for ${what}; rolled back`,
      };
  }
}

// Each metric's verdict and the values that decided it, as canary-check wrote them.
function findings(canary: CanaryQuestion): string {
  const lines = canary.metrics.map(
    (metric) => `• *${escapeText(metric.metric)}* ${escapeText(metric.verdict)}: ${escapeText(metric.reason)}`,
  );
  return lines.length > 0 ? lines.join('\n') : 'No metric had a verdict.';
}

function asker(request: ReleaseRequest): string {
  if (request.requestedBy?.slackUserId) return `<@${escapeText(request.requestedBy.slackUserId)}>`;
  if (request.requestedBy) return escapeText(request.requestedBy.name);
  if (request.source?.author) return escapeText(request.source.author);
  return request.trigger.source === 'ecr-push' || request.trigger.source === 'ecr-reconcile'
    ? 'an image push'
    : 'unknown';
}

// Without a release record (the service predates this tool), the revision the plan saw is still a fact.
function running(live: ApprovalMessageInput['live'], currentTaskDefinitionArn: string): string {
  if (!live) return `${escapeText(revisionName(currentTaskDefinitionArn))}, not released by this tool`;
  return `\`${escapeText(live.tag)}\` \`${short(live.digest)}\`, released ${live.endedAt ?? live.startedAt}`;
}

/** `arn:…:task-definition/web-production:1` → `web-production:1`. */
function revisionName(taskDefinitionArn: string): string {
  return taskDefinitionArn.slice(taskDefinitionArn.lastIndexOf('/') + 1) || 'unknown';
}
