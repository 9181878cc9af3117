import { catalogFilePath } from '../catalog/index.ts';
import { type Dashboard, DashboardPortBusyError, startDashboard } from '../dashboard/index.ts';
import { createAwsDashboardSource } from '../dashboard/wiring.ts';
import { failureWindowHours } from './insight.ts';
import type { Target } from './target.ts';

/** The four keys' window on the dashboard, as `release metrics` defaults to. */
const KEYS_DAYS = 30;

export const dashboardUsage = `Usage: release dashboard [--port <n>] [--aws]

Serves the release dashboard on http://127.0.0.1:<port>/ until Ctrl-C: the
releases by service and environment, a release's states with their durations,
its canary charts (canary vs baseline error rate and latency, analysis by
analysis, with each verdict), the four keys and the alarms' states; it updates
live while a release runs. Reads the sandbox by default, your account with --aws.
  --port <n>   the port to listen on (default 3100; 0 = a free one)`;

export const DEFAULT_DASHBOARD_PORT = 3100;

/** The dashboard over the target's releases, executions and alarms (the sandbox's or an account's). */
export async function serveDashboard(
  target: Target,
  options: { port: number; pollMs?: number; portOption?: string },
): Promise<Dashboard> {
  const source = createAwsDashboardSource({
    releases: target.releases,
    sfn: target.sfn,
    cloudwatch: target.cloudwatch,
    keys: { days: KEYS_DAYS, failureWindowHours: failureWindowHours(catalogFilePath(process.env)) },
  });
  // Read once before listening: no credentials, a wrong region or no sandbox fail here, clearly, not in the page.
  try {
    await source.listReleases(1);
  } catch (error) {
    throw new Error(`cannot read the releases at ${target.description}: ${reasonOf(error)}`, { cause: error });
  }
  try {
    return await startDashboard({
      source,
      port: options.port,
      pollMs: options.pollMs ?? (target.endpoint ? 1000 : 2000),
    });
  } catch (error) {
    if (!(error instanceof DashboardPortBusyError)) throw error;
    throw new DashboardPortBusyError(`${error.message}: choose another with ${options.portOption ?? '--port'} <n>`);
  }
}

function reasonOf(error: unknown): string {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  if (name === 'CredentialsProviderError' || /credentials/i.test(message)) {
    return `no AWS credentials (${message}); set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY`;
  }
  return `${name}: ${message}`;
}

/** Resolves when the process is asked to stop (Ctrl-C or SIGTERM). */
export function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(signal);
    };
    const onInt = stop('SIGINT');
    const onTerm = stop('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}
