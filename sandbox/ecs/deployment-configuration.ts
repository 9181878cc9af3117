import { clone } from '../aws/clone.ts';
import type { InputReader } from '../aws/input-reader.ts';
import { readNativeSettings, readStrategy } from './native-configuration.ts';
import type { RollingConfiguration } from './service-model.ts';

// A service's deploymentConfiguration, merged over its current one (or ECS's
// defaults: 200% / 100%, circuit breaker off). ROLLING is the scheduler's
// rolling update; BLUE_GREEN, CANARY and LINEAR read their own settings
// (native-configuration.ts) and run as native-deployment.ts says.

export const defaultRollingConfiguration = (): RollingConfiguration => ({
  maximumPercent: 200,
  minimumHealthyPercent: 100,
  deploymentCircuitBreaker: { enable: false, rollback: false },
  strategy: 'ROLLING',
});

export function readDeploymentConfiguration(
  reader: InputReader | undefined,
  base: RollingConfiguration = defaultRollingConfiguration(),
): RollingConfiguration {
  const merged: RollingConfiguration = clone(base);
  if (!reader) return merged;
  merged.strategy = readStrategy(reader, merged.strategy);
  merged.maximumPercent = reader.optionalInteger('maximumPercent', 0, 1000) ?? merged.maximumPercent;
  merged.minimumHealthyPercent =
    reader.optionalInteger('minimumHealthyPercent', 0, 100) ?? merged.minimumHealthyPercent;
  // ECS accepts some combinations that can never make progress; the sandbox says so instead of stalling.
  if (merged.maximumPercent < 100) reader.fail('maximumPercent must be at least 100 for a rolling update.');
  if (merged.maximumPercent === 100 && merged.minimumHealthyPercent === 100) {
    reader.fail('With minimumHealthyPercent 100, maximumPercent must be above 100: no task could start or stop.');
  }
  const breaker = reader.optionalObject('deploymentCircuitBreaker');
  if (breaker) {
    const enable = breaker.optionalBoolean('enable');
    const rollback = breaker.optionalBoolean('rollback');
    if (enable === undefined || rollback === undefined)
      breaker.fail('deploymentCircuitBreaker needs enable and rollback.');
    const next: RollingConfiguration['deploymentCircuitBreaker'] = { enable, rollback };
    const reset = breaker.optionalBoolean('resetOnHealthyTask');
    if (reset !== undefined) next.resetOnHealthyTask = reset;
    const threshold = breaker.optionalObject('thresholdConfiguration');
    if (threshold) {
      const type = threshold.string('type');
      if (!['BOUNDED_PERCENT', 'UNBOUNDED_PERCENT', 'COUNT'].includes(type))
        threshold.fail(`Invalid threshold type '${type}'.`);
      const value = threshold.optionalInteger('value', 1, 2147483647);
      if (value === undefined) threshold.fail('thresholdConfiguration.value is required.');
      next.thresholdConfiguration = { type: type as 'BOUNDED_PERCENT' | 'UNBOUNDED_PERCENT' | 'COUNT', value };
    }
    merged.deploymentCircuitBreaker = next;
  }
  const alarms = reader.optionalObject('alarms');
  if (alarms) {
    merged.alarms = {
      alarmNames: alarms.optionalStringArray('alarmNames') ?? [],
      enable: alarms.optionalBoolean('enable') ?? false,
      rollback: alarms.optionalBoolean('rollback') ?? false,
    };
  }
  readNativeSettings(reader, merged);
  return merged;
}
