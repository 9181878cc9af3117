import { duration, type TargetKeys } from '../insight/index.ts';
import type { FourKeys, KeysRow } from './ports/source.ts';

// The four keys panel: the insight feature's figures per target (computed from
// the release records), as text beside each one's DORA band.

const band = (value: string | undefined) => (value === undefined ? '' : ` · ${value}`);

export function keysRow(keys: TargetKeys): KeysRow {
  const { deploymentFrequency, leadTime, changeFailureRate, recoveryTime } = keys;
  const rate = changeFailureRate.rate === undefined ? '–' : `${(changeFailureRate.rate * 100).toFixed(1)}%`;
  return {
    service: keys.service,
    environment: keys.environment,
    deployments: keys.counts.deployments,
    deploymentFrequency: `${deploymentFrequency.perDay}/day${band(deploymentFrequency.band)}`,
    leadTime: `${duration(leadTime.medianSeconds)} (median of ${leadTime.samples})${band(leadTime.band)}`,
    changeFailureRate: `${rate} (${changeFailureRate.failed} of ${changeFailureRate.deployments})${band(changeFailureRate.band)}`,
    timeToRestore: `${duration(recoveryTime.medianSeconds)} (median of ${recoveryTime.samples}, ${recoveryTime.unrecovered} not recovered)${band(recoveryTime.band)}`,
  };
}

/** The panel's figures: one row per target, in the insight feature's order. */
export function keysView(targets: readonly TargetKeys[], days: number): FourKeys {
  return { available: true, days, targets: targets.map(keysRow) };
}
