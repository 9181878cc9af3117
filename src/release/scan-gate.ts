import * as z from 'zod';
import type { ScanPolicy } from '../catalog/index.ts';
import { sleep } from '../platform/wait.ts';
import { type ImageScan, SCAN_SEVERITIES, type ScanFindingsPort } from './ports/scan-findings.ts';
import { judgeFindings, overBudgetReason } from './scan-budget.ts';

// The scan gate plan runs before anything is touched: an image whose scan
// finds more CRITICAL or HIGH vulnerabilities than its environment's `scan`
// budget takes is refused, and so is one with no finished scan to judge
// (a repository without scan on push, a scan that failed or is still running
// after the catalog's waitSeconds): a gate that lets unknown images through
// would gate nothing. A hotfix passes when the catalog's hotfixBypass says so.

/** What the release record keeps of the scan: ECR's counts, what counted against the budget, and any bypass. */
export const scanSummarySchema = z.object({
  status: z.enum(['COMPLETE', 'IN_PROGRESS', 'NOT_SCANNED', 'FAILED']),
  severityCounts: z.partialRecord(z.enum(SCAN_SEVERITIES), z.number().int().min(0)),
  counted: z.object({ critical: z.number().int().min(0), high: z.number().int().min(0) }),
  /** Findings an unexpired allow entry excused. */
  allowed: z.array(z.string()).optional(),
  /** A hotfix released an image the gate would have refused (catalog `scan.hotfixBypass`). */
  hotfixBypass: z.literal(true).optional(),
});
export type ScanSummary = z.output<typeof scanSummarySchema>;

/** The gate's answer: go (with what to record, when the environment is gated), or why not. */
export type ScanGateResult = { refused?: undefined; summary?: ScanSummary } | { refused: string; summary?: undefined };

/** What the gate is asked about. */
export interface ScanGateRequest {
  /** The environment's `scan` block; undefined: not gated. */
  policy: ScanPolicy | undefined;
  repository: string;
  digest: string;
  /** How the image is named in a refusal, e.g. `demo/web:v2 (sha256:…)`. */
  image: string;
  hotfix: boolean;
  /** Overrides the policy's waitSeconds (a Slack command must answer within 3 s). */
  waitSeconds?: number;
}

// ECR's DescribeImageScanFindings is rate limited; a basic scan takes seconds.
const POLL_MS = 2_000;

/** Judges the image's scan against its environment's budget, waiting up to waitSeconds for a scan in progress. */
export async function scanGate(
  request: ScanGateRequest,
  ports: { scans: Pick<ScanFindingsPort, 'readScan'>; now: () => Date },
): Promise<ScanGateResult> {
  const { policy } = request;
  if (policy === undefined) return {};
  const waitSeconds = request.waitSeconds ?? policy.waitSeconds;
  const scan = await settledScan(ports.scans, request, waitSeconds * 1000);
  const bypass = request.hotfix && policy.hotfixBypass;
  if (scan.status !== 'COMPLETE') {
    if (!bypass) return { refused: unscannedReason(request.image, scan, waitSeconds) };
    const unjudged: ScanSummary = { status: scan.status, severityCounts: {}, counted: { critical: 0, high: 0 } };
    return { summary: { ...unjudged, hotfixBypass: true } };
  }
  const judgement = judgeFindings(policy, scan.findings, ports.now());
  const summary: ScanSummary = {
    status: 'COMPLETE',
    severityCounts: scan.severityCounts,
    counted: { critical: judgement.critical, high: judgement.high },
    ...(judgement.allowed.length > 0 ? { allowed: judgement.allowed } : {}),
  };
  if (judgement.withinBudget) return { summary };
  if (bypass) return { summary: { ...summary, hotfixBypass: true } };
  return { refused: overBudgetReason(request.image, policy, judgement) };
}

async function settledScan(
  scans: Pick<ScanFindingsPort, 'readScan'>,
  { repository, digest }: ScanGateRequest,
  waitMs: number,
): Promise<ImageScan> {
  const until = Date.now() + waitMs;
  let scan = await scans.readScan(repository, digest);
  while (scan.status === 'IN_PROGRESS' && Date.now() < until) {
    await sleep(Math.min(POLL_MS, until - Date.now()));
    scan = await scans.readScan(repository, digest);
  }
  return scan;
}

function unscannedReason(image: string, scan: Exclude<ImageScan, { status: 'COMPLETE' }>, waitSeconds: number): string {
  const why =
    scan.status === 'IN_PROGRESS'
      ? `its scan was still in progress after ${waitSeconds} s; once it is complete, release the tag with /release deploy`
      : scan.status === 'FAILED'
        ? `its scan failed (${scan.description})`
        : 'it was never scanned; turn on scan on push for the repository (imageScanningConfiguration.scanOnPush) and push it again';
  return `${image} has no scan to judge: ${why}. The environment's scan gate releases scanned images only; nothing was deployed.`;
}
