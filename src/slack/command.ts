// `/release <command> …` as typed in Slack: parsed into one command, or a
// clear reason it is not one. Nothing is read or started while parsing.

import { createHash } from 'node:crypto';
import { NAME } from '../catalog/index.ts';
import { isImageTag } from '../release/index.ts';

/** A command `/release` understands. */
export type ChatCommand =
  | { kind: 'approve'; approvalId: string }
  | { kind: 'reject'; approvalId: string; reason?: string }
  | { kind: 'status'; service?: string }
  | { kind: 'history'; service: string }
  | { kind: 'metrics'; service?: string }
  | { kind: 'deploy'; service: string; tag: string; environment?: string; hotfix: boolean }
  | { kind: 'rollback'; service: string; environment?: string }
  | { kind: 'promote' | 'abort'; service: string; environment?: string }
  | { kind: 'rotate'; secret: string }
  | { kind: 'help' };

/** Text that is no command, and what to say about it. */
export interface NotACommand {
  kind: 'invalid';
  message: string;
}

/** What `/release help` shows. */
export const CHAT_HELP = [
  '`/release approve <id>` · `/release reject <id> [reason]`: decide an approval',
  '`/release status [service]`: recent releases',
  '`/release history <service>`: a service’s releases and their approvals',
  '`/release metrics [service]`: the four keys (DORA) over 30 days, per environment',
  '`/release deploy <service> <tag> [env] [--hotfix]`: release a tag (a hotfix skips canary steps, never the smoke test or rollback)',
  '`/release rollback <service> [env]`: back to the last good release, without analysis',
  '`/release promote <service> [env]` · `/release abort <service> [env]`: steer a running canary',
  '`/release rotate <secret>`: rotate a secret',
  '`/release help`: this list',
].join('\n');

const SECRET = /^[A-Za-z0-9_./-]{1,200}$/;
const MAX_REASON = 500;

const invalid = (message: string): NotACommand => ({ kind: 'invalid', message });
const usage = (form: string) => invalid(`Usage: \`/release ${form}\` (see \`/release help\`)`);

/** Parses the text after `/release`. */
export function parseChatCommand(text: string): ChatCommand | NotACommand {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '');
  const [verb = 'help', ...args] = words;
  switch (verb.toLowerCase()) {
    case 'help':
      return { kind: 'help' };
    case 'approve':
      return args.length === 1 && args[0] ? { kind: 'approve', approvalId: args[0] } : usage('approve <id>');
    case 'reject': {
      const [approvalId, ...reason] = args;
      if (!approvalId) return usage('reject <id> [reason]');
      const why = reason.join(' ').slice(0, MAX_REASON);
      return { kind: 'reject', approvalId, ...(why ? { reason: why } : {}) };
    }
    case 'status':
      if (args.length > 1) return usage('status [service]');
      return args[0] === undefined ? { kind: 'status' } : named(args[0], (service) => ({ kind: 'status', service }));
    case 'history':
      return args.length === 1 && args[0]
        ? named(args[0], (service) => ({ kind: 'history', service }))
        : usage('history <service>');
    case 'metrics':
      if (args.length > 1) return usage('metrics [service]');
      return args[0] === undefined ? { kind: 'metrics' } : named(args[0], (service) => ({ kind: 'metrics', service }));
    case 'deploy':
      return parseDeploy(args);
    case 'rollback':
    case 'promote':
    case 'abort':
      return parseTargetCommand(verb.toLowerCase() as 'rollback' | 'promote' | 'abort', args);
    case 'rotate':
      if (args.length !== 1 || !args[0]) return usage('rotate <secret>');
      return SECRET.test(args[0])
        ? { kind: 'rotate', secret: args[0] }
        : invalid(`\`${clip(args[0])}\` is not a secret name.`);
    default:
      return invalid(`Unknown command \`${clip(verb)}\`. Try \`/release help\`.`);
  }
}

function parseDeploy(args: string[]): ChatCommand | NotACommand {
  const hotfix = args.includes('--hotfix');
  const rest = args.filter((arg) => arg !== '--hotfix');
  const option = rest.find((arg) => arg.startsWith('-'));
  if (option) return invalid(`Unknown option \`${clip(option)}\`; only \`--hotfix\` is known.`);
  const [service, tag, environment, ...extra] = rest;
  if (!service || !tag || extra.length > 0) return usage('deploy <service> <tag> [env] [--hotfix]');
  if (!isImageTag(tag)) return invalid(`\`${clip(tag)}\` is not an image tag.`);
  return named(service, (name) =>
    environment === undefined
      ? { kind: 'deploy', service: name, tag, hotfix }
      : named(environment, (env) => ({ kind: 'deploy', service: name, tag, environment: env, hotfix })),
  );
}

function parseTargetCommand(kind: 'rollback' | 'promote' | 'abort', args: string[]): ChatCommand | NotACommand {
  const [service, environment, ...extra] = args;
  if (!service || extra.length > 0) return usage(`${kind} <service> [env]`);
  return named(service, (name) =>
    environment === undefined
      ? { kind, service: name }
      : named(environment, (env) => ({ kind, service: name, environment: env })),
  );
}

function named(value: string, then: (name: string) => ChatCommand | NotACommand): ChatCommand | NotACommand {
  return NAME.test(value) ? then(value) : invalid(`\`${clip(value)}\` is not a service or environment name.`);
}

/** Echoed input, cut short and stripped of what Slack would render as a mention or link. */
function clip(text: string): string {
  return text.slice(0, 40).replace(/[<>&`]/g, '');
}

/**
 * A slash command's id, from what Slack signs: its second, its user and its
 * text (hashed, so the id stays short and carries nothing typed). Two
 * commands by one person in the same second are two requests; the same
 * request delivered twice (a replay inside the signature's window, a double
 * submit) is one, and starts one release.
 */
export function commandRequestId(timestamp: string, user: string, text: string): string {
  const digest = createHash('sha256').update(text.trim()).digest('hex').slice(0, 8);
  return `${timestamp}-${user}-${digest}`;
}
