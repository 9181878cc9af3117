// Runs in a child process (sandbox-child.ts): the reliability scenarios of
// scripts/lib/reliability.ts on one fresh sandbox, for `npm run bench`.
import { type ReleaseSandbox, startReleaseSandbox } from '../lib/release-sandbox.ts';
import { lostRegistrations, pushBurst, type ScenarioResult, throttledReleases } from '../lib/reliability.ts';

export interface ReliabilityFigures {
  scenarios: ScenarioResult[];
  timeFactor: number;
}

export async function measureReliability(timeFactor: number): Promise<ReliabilityFigures> {
  const rs: ReleaseSandbox = await startReleaseSandbox({ timeFactor });
  try {
    const scenarios = [
      await throttledReleases(rs, ['t2', 't3', 't4-bad', 't5'], 0.3),
      await lostRegistrations(rs, ['l2', 'l3', 'l4'], 1),
      await pushBurst(rs, ['b1', 'b2', 'b3', 'b4'], { gapMs: 0, deliveries: 3 }),
      await pushBurst(rs, ['g1', 'g2', 'g3'], { gapMs: 100, deliveries: 3 }),
    ];
    return { scenarios, timeFactor };
  } finally {
    await rs.stop();
  }
}

/** The figures as the bench prints them: releases run and correct, and the faults injected by kind. */
export function printReliability({ scenarios, timeFactor }: ReliabilityFigures): void {
  console.log(`\nReliability under injected faults (demo service, time factor ${timeFactor})`);
  console.log(
    `${'scenario'.padEnd(52)} ${'releases'.padStart(8)} ${'correct'.padStart(8)}   faults injected (throttle / 5xx / latency / lost)`,
  );
  for (const s of scenarios) {
    const { throttle, '5xx': serverErrors, latency, lost } = s.faults;
    console.log(
      `${s.scenario.padEnd(52)} ${String(s.releases).padStart(8)} ${String(s.correct).padStart(8)}   ${throttle} / ${serverErrors} / ${latency} / ${lost}`,
    );
    for (const failure of s.failures) console.log(`  ✗ ${failure}`);
  }
  const run = scenarios.reduce((sum, s) => sum + s.releases, 0);
  const correct = scenarios.reduce((sum, s) => sum + s.correct, 0);
  console.log(`${'all'.padEnd(52)} ${String(run).padStart(8)} ${String(correct).padStart(8)}`);
}
