import type { EnvironmentConfig } from '../catalog/index.ts';
import type { ChatPort } from '../platform/chat.ts';

/** What a Slack user may be allowed to do to an environment. */
export type SlackAction = 'approve' | 'deploy' | 'rollback';

type Rights = Pick<EnvironmentConfig, 'approvers' | 'twoPersonRule' | 'permissions'>;

/**
 * The users and groups who may `action` an environment: `approvers` approve;
 * `permissions.deploy` deploy and promote, `permissions.rollback` roll back and
 * abort, each falling back to `approvers` when not given.
 */
export function principalsFor(action: SlackAction, rights: Rights): string[] {
  if (action === 'approve') return rights.approvers;
  return rights.permissions?.[action] ?? rights.approvers;
}

/** Whether the one who asked for a release is kept from approving it: the catalog's word, else on for `production`. */
export function twoPersonRuleHolds(environment: string, rights: Rights): boolean {
  return rights.twoPersonRule ?? environment === 'production';
}

/** Whether `user` is one of `principals`, directly or through a user group (usergroups.users.list). */
export async function isOneOf(
  user: string,
  principals: readonly string[],
  chat: Pick<ChatPort, 'groupMembers'>,
): Promise<boolean> {
  if (principals.includes(user)) return true;
  for (const group of principals.filter((principal) => principal.startsWith('S'))) {
    if ((await chat.groupMembers(group)).includes(user)) return true;
  }
  return false;
}
