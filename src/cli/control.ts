import type { ControlAction } from '../domain/release.ts';
import { targetKey } from '../domain/release-record.ts';
import type { ReleaseStore } from '../ports/release-store.ts';
import { UsageError } from './usage.ts';

const OPTIONS = `  --environment <env>   the target's environment (default: the one environment
                        where a release of the service is running)
  --by <name>           who asks, for the release's record (default: your OS user name)`;

export const promoteUsage = `Usage: release promote <service> [--environment <env>] [--by <name>]

Skips the rest of a running canary, linear or blue/green release's analysis:
every remaining hook is continued without analysis (ECS's own bake times
still run). Acted on within one poll of the release (15 s); refused when no
release of the target is running.
${OPTIONS}`;

export const abortUsage = `Usage: release abort <service> [--environment <env>] [--by <name>]

Rolls a running release back now, without analysis: a canary, linear or
blue/green release switches traffic back to the stable revision, a rolling one
is stopped and rolled back by ECS. Acted on within one poll of the release
(15 s); refused when no release of the target is running.
${OPTIONS}`;

/** A promote or abort from the command line. */
export interface ControlCommand {
  action: ControlAction;
  service: string;
  environment?: string;
  requestedBy: string;
  now: Date;
}

/** What the CLI prints and how it exits. */
export interface ControlOutcome {
  accepted: boolean;
  message: string;
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

// Without --environment: the one environment where the service has a release running.
async function runningEnvironment(releases: ReleaseStore, service: string): Promise<string | undefined> {
  const records = await releases.listReleases({ service, limit: RECENT_RELEASES });
  const running = [...new Set(records.filter((r) => r.outcome === 'RUNNING').map((r) => r.environment))];
  if (running.length > 1) {
    throw new UsageError(`releases of ${service} are running in ${running.join(', ')}: give --environment`);
  }
  return running[0];
}
