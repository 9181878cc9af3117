import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogFilePath } from '../../src/catalog/index.ts';
import { failureWindowHours, formatAudit, readMetrics } from '../../src/cli/insight.ts';
import type { TargetKeys } from '../../src/insight/index.ts';
import type { ReleaseSandbox } from '../lib/release-sandbox.ts';
import type { ScenarioResult } from './scenarios.ts';

type Say = (line: string) => void;

// (j) What `release metrics --json` and `release audit --format jsonl` say of
// the demo's own releases, read before the sandbox stops: both written to files
// (their paths printed), and the four keys of each target summarized.

const TARGETS = ['web/staging', 'web/production', 'shop/staging'];

const summary = (keys: TargetKeys) =>
  `${keys.service}/${keys.environment}: ${keys.counts.deployments} deployments (${keys.counts.succeeded} ok, ${keys.counts.failed} failed); ` +
  `${keys.deploymentFrequency.perDay}/day [${keys.deploymentFrequency.band}], ` +
  `lead ${keys.leadTime.medianSeconds ?? '–'} s of ${keys.leadTime.samples} [${keys.leadTime.band ?? '–'}], ` +
  `CFR ${keys.changeFailureRate.rate ?? '–'} [${keys.changeFailureRate.band ?? '–'}], ` +
  `recovery ${keys.recoveryTime.medianSeconds ?? '–'} s of ${keys.recoveryTime.samples} [${keys.recoveryTime.band ?? '–'}]`;

export async function insightScenario(rs: ReleaseSandbox, say: Say): Promise<ScenarioResult> {
  const now = new Date();
  const report = await readMetrics(rs.target, {
    since: new Date(now.getTime() - 30 * 86_400_000),
    now,
    failureWindowHours: failureWindowHours(catalogFilePath(process.env)),
  });
  const events = await rs.target.ledger.list({ since: new Date(now.getTime() - 86_400_000).toISOString() });
  const records = await rs.target.releases.listReleases({ limit: 1000 });
  const dir = mkdtempSync(join(tmpdir(), 'release-demo-'));
  writeFileSync(join(dir, 'metrics.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(dir, 'audit.jsonl'), `${formatAudit(events, 'jsonl')}\n`);
  say(
    `  release metrics --json → ${join(dir, 'metrics.json')}; release audit --format jsonl → ${join(dir, 'audit.jsonl')}`,
  );
  for (const keys of report.targets) say(`  ${summary(keys)}`);
  say(`  cost: ${JSON.stringify(report.costPerMonth)} over ${report.pricedReleases} priced releases`);

  const problems: string[] = [];
  for (const name of TARGETS) {
    const keys = report.targets.find((target) => `${target.service}/${target.environment}` === name);
    if (!keys) problems.push(`${name} missing`);
    else if (keys.counts.deployments === 0 || keys.leadTime.samples === 0) problems.push(`${name} has no deployments`);
    // Every rolled-back release of the target is counted a failed change.
    const rolledBack = records.filter(
      (record) => `${record.service}/${record.environment}` === name && record.outcome === 'ROLLED_BACK',
    ).length;
    if (keys && keys.changeFailureRate.failed < rolledBack)
      problems.push(`${name}: ${rolledBack} rolled back, ${keys.changeFailureRate.failed} counted`);
  }
  const approver = events.find((event) => event.environment === 'production' && event.kind === 'approved')?.by;
  const digest = events.find((event) => event.environment === 'production' && event.kind === 'deployed')?.detail.digest;
  const verdicts = events
    .filter((event) => event.service === 'shop' && event.kind === 'analysed')
    .map((e) => e.detail.verdict);
  if (!approver) problems.push('no production approver in the ledger');
  if (!digest) problems.push('no production digest in the ledger');
  if (verdicts.length === 0) problems.push('no canary verdicts in the ledger');
  say(
    `  audit: production approved by ${approver ?? '–'}, deployed ${String(digest ?? '–')}; ${verdicts.length} canary verdicts (${[...new Set(verdicts)].join(', ')})`,
  );
  return {
    scenario: '(j) metrics and audit',
    expected: `four keys for ${TARGETS.join(', ')}; rolled-back releases counted; approver, digest, verdicts audited`,
    observed:
      problems.length === 0 ? `${report.targets.length} targets, ${events.length} ledger events` : problems.join('; '),
    ok: problems.length === 0,
    note: `files in ${dir}`,
  };
}
