import {
  APPROVE_ACTION,
  type ApprovalDecisionPorts,
  decideApproval,
  isOneOf,
  principalsFor,
  REJECT_ACTION,
} from '../approvals/index.ts';
import { catalogEnvironment, catalogService } from '../catalog/index.ts';
import { type LedgerStore, metricsReport, metricsText, releaseDeliveryRecords } from '../insight/index.ts';
import type { ChatReply } from '../platform/chat-reply.ts';
import {
  AmbiguousEnvironmentError,
  escapeText,
  type ReleaseStore,
  requestReleaseControl,
  runningEnvironment,
  type StoredRelease,
} from '../release/index.ts';
import { CHAT_HELP, type ChatCommand, parseChatCommand } from './command.ts';
import { type ChatDeployPorts, startChatRelease } from './deploy-command.ts';
import { type ChatRotationPorts, startChatRotation } from './rotate-command.ts';

/** One `/release …` as Slack delivered it (signature already checked). */
export interface ChatRequest {
  /** The text after `/release`. */
  text: string;
  /** The Slack user id who typed it. */
  user: string;
  /** Unique per request: a release it starts is named by it. */
  requestId: string;
}

/** Everything a command may touch. */
export type ChatCommandPorts = ApprovalDecisionPorts &
  ChatDeployPorts &
  ChatRotationPorts & { releases: ReleaseStore; ledger?: LedgerStore };

// The window `/release metrics` reports on.
const METRICS_DAYS = 30;

// Lines a status or history reply shows.
const LISTED = 10;

/** Runs one `/release` command and says what happened; bad input changes nothing. */
export async function runChatCommand(request: ChatRequest, ports: ChatCommandPorts): Promise<ChatReply> {
  const command = parseChatCommand(request.text);
  if (command.kind === 'invalid') return { text: command.message };
  return run(command, request, ports);
}

async function run(command: ChatCommand, request: ChatRequest, ports: ChatCommandPorts): Promise<ChatReply> {
  const { user } = request;
  switch (command.kind) {
    case 'help':
      return { text: CHAT_HELP };
    case 'approve':
      return decideApproval({ approvalId: command.approvalId, verdict: 'APPROVED', user }, ports);
    case 'reject':
      return decideApproval(
        {
          approvalId: command.approvalId,
          verdict: 'REJECTED',
          user,
          ...(command.reason ? { reason: command.reason } : {}),
        },
        ports,
      );
    case 'status': {
      if (command.service !== undefined && !catalogService(ports.catalog, command.service))
        return unknownService(command.service);
      const records = await ports.releases.listReleases({
        limit: LISTED,
        ...(command.service ? { service: command.service } : {}),
      });
      return { text: records.length === 0 ? 'No releases yet.' : records.map(statusLine).join('\n') };
    }
    case 'history': {
      if (!catalogService(ports.catalog, command.service)) return unknownService(command.service);
      const records = await ports.releases.listReleases({ service: command.service, limit: LISTED });
      return {
        text: records.length === 0 ? `No releases of ${command.service} yet.` : records.map(historyLines).join('\n'),
      };
    }
    case 'metrics':
      return metrics(command.service, ports);
    case 'deploy':
      return startChatRelease({ ...command, user, requestId: request.requestId }, ports);
    case 'rollback':
      return startChatRelease({ ...command, hotfix: true, user, requestId: request.requestId }, ports);
    case 'promote':
    case 'abort':
      return control(command, user, ports);
    case 'rotate':
      return startChatRotation({ secret: command.secret, user, requestId: request.requestId }, ports);
  }
}

async function control(
  command: Extract<ChatCommand, { kind: 'promote' | 'abort' }>,
  user: string,
  ports: ChatCommandPorts,
): Promise<ChatReply> {
  const service = catalogService(ports.catalog, command.service);
  if (!service) return unknownService(command.service);
  if (command.environment !== undefined && !catalogEnvironment(service, command.environment)) {
    return { text: `${command.service} has no environment \`${command.environment}\`.` };
  }
  let outcome: Awaited<ReturnType<typeof requestReleaseControl>>;
  const check = async (environment: string) => {
    const config = catalogEnvironment(service, environment);
    const action = command.kind === 'promote' ? 'deploy' : 'rollback';
    return config !== undefined && isOneOf(user, principalsFor(action, config), ports.chat);
  };
  try {
    const asked = { action: command.kind, service: command.service, requestedBy: user, now: ports.now() };
    // The right is checked on the environment the request lands on, before anything is written.
    const environment = command.environment ?? (await runningEnvironment(ports.releases, command.service));
    if (environment === undefined) return { text: `No release of ${command.service} is running.` };
    if (!(await check(environment))) return { text: `You may not ${command.kind} ${command.service}/${environment}.` };
    outcome = await requestReleaseControl(ports.releases, { ...asked, environment });
  } catch (error) {
    if (error instanceof AmbiguousEnvironmentError) return { text: error.message };
    throw error;
  }
  return { text: outcome.message, public: outcome.accepted };
}

/** The four keys of a service's environments (or all) over the last 30 days, with the costs the ledger holds. */
async function metrics(service: string | undefined, ports: ChatCommandPorts): Promise<ChatReply> {
  if (service !== undefined && !catalogService(ports.catalog, service)) return unknownService(service);
  const now = ports.now();
  const failureWindowHours = ports.catalog.insight.failureWindowHours;
  const since = new Date(now.getTime() - METRICS_DAYS * 86_400_000);
  const readFrom = new Date(since.getTime() - failureWindowHours * 3_600_000).toISOString();
  const filter = service === undefined ? {} : { service };
  const [records, ledger] = await Promise.all([
    releaseDeliveryRecords(ports.releases).list({ ...filter, since: readFrom }),
    ports.ledger?.list({ ...filter, since: since.toISOString() }) ?? [],
  ]);
  const report = metricsReport(records, ledger, { days: METRICS_DAYS, failureWindowHours }, now);
  return { text: `\`\`\`\n${escapeText(metricsText(report).join('\n'))}\n\`\`\`` };
}

const unknownService = (service: string): ChatReply => ({ text: `Unknown service \`${service}\`.` });

function statusLine(record: StoredRelease): string {
  const reason = record.reason ? ` (${escapeText(record.reason.slice(0, 120))})` : '';
  return `\`${escapeText(record.releaseId)}\` ${escapeText(record.service)}/${escapeText(record.environment)} \`${escapeText(record.tag)}\` *${record.outcome}* since ${record.startedAt}${reason}`;
}

function historyLines(record: StoredRelease): string {
  const decisions = (record.decisions ?? []).map(
    (decision) =>
      `    ${decision.verdict.toLowerCase()} by ${decision.by === 'timeout' ? 'timeout' : `<@${escapeText(decision.by)}>`} at ${decision.at}${decision.reason ? `: ${escapeText(decision.reason)}` : ''}`,
  );
  return [statusLine(record), ...decisions].join('\n');
}

/** A click on one of the approval message's buttons: it does what `/release approve|reject <id>` does. */
export interface ChatButton {
  actionId: string;
  /** The approval id the button carries. */
  value: string;
  user: string;
}

/** Runs a button click; a button this tool never sent is told so and changes nothing. */
export async function runChatButton(button: ChatButton, ports: ApprovalDecisionPorts): Promise<ChatReply> {
  const verdict = { [APPROVE_ACTION]: 'APPROVED', [REJECT_ACTION]: 'REJECTED' } as const;
  const chosen =
    button.actionId === APPROVE_ACTION || button.actionId === REJECT_ACTION ? verdict[button.actionId] : undefined;
  if (!chosen) return { text: 'That button does nothing here.' };
  return decideApproval({ approvalId: button.value, verdict: chosen, user: button.user }, ports);
}
