import type { ReleaseStore } from './ports/release-store.ts';
import { targetKey } from './record.ts';
import type { ControlAction } from './rollout-state.ts';

/** A promote or abort, from the CLI or Slack. */
export interface ControlCommand {
  action: ControlAction;
  service: string;
  environment?: string;
  requestedBy: string;
  now: Date;
}

/** What the caller shows: whether the request was stored, and why not. */
export interface ControlOutcome {
  accepted: boolean;
  message: string;
}

/** Without an environment, the service has releases running in several: the caller must name one. */
export class AmbiguousEnvironmentError extends Error {
  override readonly name = 'AmbiguousEnvironmentError';
}

// Enough to see every environment of one service.
const RECENT_RELEASES = 50;

/** Asks the running release of a target to promote or abort; says why not when it cannot. */
export async function requestReleaseControl(releases: ReleaseStore, command: ControlCommand): Promise<ControlOutcome> {
  const { action, service } = command;
  const environment = command.environment ?? (await runningEnvironment(releases, service));
  if (environment === undefined) return { accepted: false, message: `no release of ${service} is running` };
  const where = `${service}/${environment}`;
  const lockKey = targetKey({ service, environment });
  const holder = (await releases.readLock(lockKey))?.holder;
  const requestedAt = command.now.toISOString();
  if (holder === undefined || holder.expiresAt < requestedAt) {
    return { accepted: false, message: `no release of ${where} is running` };
  }
  const result = await releases.requestControl(lockKey, {
    action,
    releaseId: holder.releaseId,
    requestedBy: command.requestedBy,
    requestedAt,
  });
  switch (result) {
    case 'ACCEPTED':
      return {
        accepted: true,
        message: `${action} of release ${holder.releaseId} (${where}, ${holder.tag}) requested by ${command.requestedBy}; the release acts on it at its next check`,
      };
    case 'ALREADY_REQUESTED':
      return {
        accepted: false,
        message: `release ${holder.releaseId} of ${where} was already asked to promote or abort`,
      };
    default:
      return { accepted: false, message: `no release of ${where} is running` };
  }
}

/** The one environment where the service has a release running, if any. */
export async function runningEnvironment(releases: ReleaseStore, service: string): Promise<string | undefined> {
  const records = await releases.listReleases({ service, limit: RECENT_RELEASES });
  const running = [...new Set(records.filter((r) => r.outcome === 'RUNNING').map((r) => r.environment))];
  if (running.length > 1) {
    throw new AmbiguousEnvironmentError(
      `releases of ${service} are running in ${running.join(', ')}: name the environment`,
    );
  }
  return running[0];
}
