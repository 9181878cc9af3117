import type { MarkdownText, MessageBlock } from '../platform/notifier.ts';
import type { CaughtError } from './caught-error.ts';
import { describeCaughtError } from './caught-error.ts';
import type { KeptAnalysis } from './kept-analyses.ts';
import type { StoredRelease } from './ports/release-store.ts';
import type {
  AlreadyLive,
  DeployResult,
  GitHubReleaseSource,
  NotifyEvent,
  RefusedTarget,
  ReleaseRequest,
  ReleaseTarget,
} from './release.ts';

/** An analysis as `notify` posts it: the verdict, the decision and each metric's reason (with its numbers). */
export type AnalysisNotice = Omit<KeptAnalysis, 'window'> & Partial<Pick<KeptAnalysis, 'window'>>;

const VERDICT_ICON: Record<string, string> = {
  pass: ':white_check_mark:',
  fail: ':x:',
  inconclusive: ':grey_question:',
};
const DECISION_TEXT: Record<string, string> = {
  continue: 'going on',
  rollback: 'rolling back',
  wait: 'waiting for more data',
  extend: 'extending the bake for more data',
  ask: 'asking in Slack whether to continue or roll back',
};

/** What `notify` is given by the release state machine. */
export interface NotifyInput {
  event: NotifyEvent;
  request: ReleaseRequest;
  deployment?: DeployResult;
  /** For `already-live`: what deploy found running. */
  alreadyLive?: AlreadyLive;
  error?: CaughtError;
  rollbackError?: CaughtError;
  /** For `analysis`: what canary-check found. */
  analysis?: AnalysisNotice;
  /** The execution running the release: its record keeps each analysis. */
  executionId?: string;
  /** Where the `started` message landed (the previous notify's result): later events reply in its thread. */
  notice?: { ts?: string; channel?: string };
}

/** A message's fallback text and its blocks. */
export interface NotificationContent {
  text: string;
  blocks: MessageBlock[];
}

/** A release whose execution stopped while it held its target: what the alert says it about. */
export interface AbandonedAlertInput {
  record: Pick<StoredRelease, 'releaseId' | 'service' | 'environment' | 'tag' | 'previousTaskDefinitionArn'>;
  target: Pick<ReleaseTarget, 'cluster' | 'ecsService'>;
  reason: string;
}

/**
 * The loud alert for a release its execution abandoned while it held the
 * target: a deployment may have been started that nobody verified or rolled
 * back. A top-level message with @here, as a failed rollback is.
 */
export function composeAbandonedAlert({ record, target, reason }: AbandonedAlertInput): NotificationContent {
  const plain = `${escapeText(record.service)} ${escapeText(record.tag)}`;
  const environment = escapeText(record.environment);
  const service = `${escapeText(target.cluster)}/${escapeText(target.ecsService)}`;
  const previous = record.previousTaskDefinitionArn
    ? revision(record.previousTaskDefinitionArn)
    : 'its previous revision';
  const action = `Service \`${service}\` may be running an unverified deployment of \`${escapeText(record.tag)}\`: check it, and return it to \`${previous}\` by hand if it is not healthy.`;
  return {
    text: `MANUAL ACTION NEEDED: the release of ${plain} to ${environment} was stopped before it finished. ${action} ${escapeText(reason)}`,
    blocks: [
      section(
        `:rotating_light: <!here> *Manual action needed:* the release of *${escapeText(record.service)}* \`${escapeText(record.tag)}\` to *${environment}* was stopped before it finished`,
      ),
      section(action),
      section(`*Why:* ${escapeText(reason)}`),
      context(`Release ${escapeText(record.releaseId)} · the target is unlocked`),
    ],
  };
}

/** The message announcing a target an event could not release (its image missing, its service misconfigured). */
export function composeRefusal(refused: RefusedTarget): NotificationContent {
  const service = escapeText(refused.service);
  const environment = escapeText(refused.environment);
  const tag = refused.source ? ` \`${escapeText(refused.source.tag)}\`` : '';
  const reason = escapeText(refused.reason);
  return {
    text: `Not released: ${service}${tag.replaceAll('`', '')} to ${environment}: ${reason}`,
    blocks: [
      section(`:no_entry: Not released: *${service}*${tag} to *${environment}*`),
      section(`*Why:* ${reason}`),
      ...(refused.source ? [context(gitHubText(refused.source))] : []),
    ],
  };
}

/** The message a release event posts: what happened, to what, and for failures why. */
export function composeNotification(input: NotifyInput): NotificationContent {
  const { request } = input;
  const subject = {
    service: escapeText(request.target.service),
    environment: escapeText(request.target.environment),
    tag: escapeText(request.image.tag),
  };
  const what = `*${subject.service}* \`${subject.tag}\``;
  const where = `*${subject.environment}*`;
  const plain = `${subject.service} ${subject.tag}`;
  const releaseContext = context(
    `Release ${escapeText(request.releaseId)} · ${escapeText(request.target.cluster)}/${escapeText(request.target.ecsService)}`,
  );

  switch (input.event) {
    case 'started':
      return {
        text: `Releasing ${plain} to ${subject.environment} (${shortDigest(request.image.digest)}, ${triggerText(request)})`,
        blocks: [
          {
            type: 'section',
            text: markdown(`:rocket: Releasing ${what} to ${where}`),
            fields: [
              markdown(`*Service*\n${subject.service}`),
              markdown(`*Environment*\n${subject.environment}`),
              markdown(`*Tag*\n\`${subject.tag}\``),
              markdown(`*Image*\n\`${shortDigest(request.image.digest)}\``),
              markdown(`*Trigger*\n${triggerText(request)}`),
              markdown(`*Running now*\n\`${revision(request.currentTaskDefinitionArn)}\``),
            ],
          },
          releaseContext,
        ],
      };
    case 'already-live': {
      const running = input.alreadyLive ? `\`${revision(input.alreadyLive.taskDefinitionArn)}\`` : 'the service';
      return {
        text: `Nothing to release: ${plain} is already live on ${subject.environment}`,
        blocks: [
          section(`:white_check_mark: Nothing to release: ${what} is already live on ${where}, in ${running}`),
          releaseContext,
        ],
      };
    }
    case 'succeeded': {
      const running = input.deployment
        ? [
            section(
              `Now running \`${revision(input.deployment.taskDefinitionArn)}\` (was \`${previousRevision(input)}\`)`,
            ),
          ]
        : [];
      return {
        text: `Released ${plain} to ${subject.environment}`,
        blocks: [section(`:white_check_mark: Released ${what} to ${where}`), ...running, releaseContext],
      };
    }
    case 'failed':
      return {
        text: `Release of ${plain} to ${subject.environment} failed: ${reasonOf(input.error)}`,
        blocks: [
          section(`:x: Release of ${what} to ${where} failed`),
          section(`*Why:* ${reasonOf(input.error)}`),
          releaseContext,
        ],
      };
    case 'rolled-back': {
      const previous = previousRevision(input);
      return {
        text: `Release of ${plain} to ${subject.environment} failed and was rolled back to ${previous}: ${reasonOf(input.error)}`,
        blocks: [
          section(
            `:leftwards_arrow_with_hook: Release of ${what} to ${where} failed and was rolled back to \`${previous}\``,
          ),
          section(`*Why:* ${reasonOf(input.error)}`),
          releaseContext,
        ],
      };
    }
    case 'analysis': {
      const analysis = input.analysis;
      if (analysis === undefined) {
        return { text: `Analysis of ${plain} on ${subject.environment}: no result`, blocks: [releaseContext] };
      }
      const share =
        analysis.productionWeight === undefined ? '' : ` at ${analysis.productionWeight}% of production traffic`;
      const decision = DECISION_TEXT[analysis.decision] ?? escapeText(analysis.decision);
      const lines = analysis.metrics.map(
        (metric) => `• *${escapeText(metric.metric)}* ${escapeText(metric.verdict)}: ${escapeText(metric.reason)}`,
      );
      return {
        text: `Analysis of ${plain} on ${subject.environment}${share}: ${escapeText(analysis.verdict)}, ${decision}. ${escapeText(analysis.reason)}`,
        blocks: [
          section(
            `${VERDICT_ICON[analysis.verdict] ?? ':mag:'} Analysis of ${what} on ${where}${share}: *${escapeText(analysis.verdict)}*, ${decision}`,
          ),
          section(escapeText(analysis.reason)),
          ...(lines.length === 0 ? [] : [section(lines.join('\n'))]),
          releaseContext,
        ],
      };
    }
    case 'rollback-failed': {
      const service = `${escapeText(request.target.cluster)}/${escapeText(request.target.ecsService)}`;
      const current = input.deployment ? revision(input.deployment.taskDefinitionArn) : 'the new revision';
      const action = `Service \`${service}\` may still be running \`${current}\`: return it to \`${previousRevision(input)}\` by hand and check it is healthy.`;
      return {
        text: `MANUAL ACTION NEEDED: rolling back ${plain} on ${subject.environment} failed. ${action} Release failed: ${reasonOf(input.error)}. Rollback failed: ${reasonOf(input.rollbackError)}`,
        blocks: [
          section(`:rotating_light: <!here> *Manual action needed:* rolling back ${what} on ${where} failed`),
          section(action),
          section(`*Why the release failed:* ${reasonOf(input.error)}`),
          section(`*Why the rollback failed:* ${reasonOf(input.rollbackError)}`),
          releaseContext,
        ],
      };
    }
  }
}

function markdown(text: string): MarkdownText {
  return { type: 'mrkdwn', text };
}

function section(text: string): MessageBlock {
  return { type: 'section', text: markdown(text) };
}

function context(text: string): MessageBlock {
  return { type: 'context', elements: [markdown(text)] };
}

// Slack reads &, < and > as markup (links, mentions); text from events and errors must not be.
/** Escapes the three characters Slack mrkdwn reserves. */
export function escapeText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function reasonOf(error: CaughtError | undefined): string {
  return error ? escapeText(describeCaughtError(error)) : 'no reason was given';
}

function triggerText(request: ReleaseRequest): string {
  return request.source ? gitHubText(request.source) : `ECR push at ${escapeText(request.trigger.at)}`;
}

// The facts a reviewer checks: which release, by whom, from which commit, and the link to it.
function gitHubText(source: GitHubReleaseSource): string {
  const commit = escapeText(source.commit.slice(0, 12));
  const kind = source.prerelease ? 'GitHub pre-release' : 'GitHub release';
  return `<${escapeText(source.url)}|${kind} ${escapeText(source.tag)}> of ${escapeText(source.repository)} by ${escapeText(source.author)}, commit \`${commit}\``;
}

/** `sha256:` and the first 12 hex digits: enough to tell images apart at a glance. */
function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.split(':');
  return hex === undefined
    ? escapeText(digest.slice(0, 19))
    : `${escapeText(algorithm ?? '')}:${escapeText(hex.slice(0, 12))}`;
}

/** `family:revision` of a task definition ARN. */
function revision(taskDefinitionArn: string): string {
  return escapeText(taskDefinitionArn.slice(taskDefinitionArn.lastIndexOf('/') + 1));
}

function previousRevision(input: NotifyInput): string {
  return revision(input.deployment?.previousTaskDefinitionArn ?? input.request.currentTaskDefinitionArn);
}
