import {
  AmbiguousEnvironmentError,
  type ControlCommand,
  type ControlOutcome,
  type ReleaseStore,
  requestReleaseControl as requestControl,
} from '../release/index.ts';
import { UsageError } from './usage.ts';

const OPTIONS = `  --environment <env>   the target's environment (default: the one environment
                        where a release of the service is running)
  --by <name>           who asks, for the release's record (default: your OS user name)`;

export const promoteUsage = `Usage: release promote <service> [--environment <env>] [--by <name>]

Skips the rest of a running canary, linear or blue/green release's analysis:
every remaining hook is continued without analysis (ECS's own bake times
still run). Acted on at the release's next look at its rollout, within a
minute; refused when no release of the target is running.
${OPTIONS}`;

export const abortUsage = `Usage: release abort <service> [--environment <env>] [--by <name>]

Rolls a running release back now, without analysis: a canary, linear or
blue/green release switches traffic back to the stable revision, a rolling one
is stopped and rolled back by ECS. Acted on at the release's next look, within
a minute (a rolling one's: or at ECS's next event); refused when no release of
the target is running.
${OPTIONS}`;

/** Asks the running release of a target to promote or abort (src/release/control.ts); an ambiguous service is a usage error. */
export async function requestReleaseControl(releases: ReleaseStore, command: ControlCommand): Promise<ControlOutcome> {
  try {
    return await requestControl(releases, command);
  } catch (error) {
    if (error instanceof AmbiguousEnvironmentError) {
      throw new UsageError(error.message.replace('name the environment', 'give --environment'), { cause: error });
    }
    throw error;
  }
}
