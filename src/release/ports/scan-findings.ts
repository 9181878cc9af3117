import type { SessionName, TargetAccess } from '../../platform/target-access.ts';

/** ECR's finding severities, worst first (enhanced scanning adds UNTRIAGED). */
export const SCAN_SEVERITIES = [
  'CRITICAL',
  'HIGH',
  'MEDIUM',
  'LOW',
  'INFORMATIONAL',
  'UNDEFINED',
  'UNTRIAGED',
] as const;
export type ScanSeverity = (typeof SCAN_SEVERITIES)[number];

/** One vulnerability ECR's scan found in an image. */
export interface ScanFinding {
  /** The finding's name: a CVE id for basic scanning (what the catalog's allow entries name). */
  id: string;
  severity: ScanSeverity;
  /** The package it was found in, when ECR says. */
  package?: string;
}

/** Where ECR's scan of an image stands; `NOT_SCANNED` when it has none (ScanNotFoundException). */
export type ImageScan =
  | { status: 'COMPLETE'; findings: ScanFinding[]; severityCounts: Partial<Record<ScanSeverity, number>> }
  | { status: 'IN_PROGRESS' }
  | { status: 'NOT_SCANNED' }
  | { status: 'FAILED'; description: string };

/** ECR's scan findings as planning reads them. Throttling and 5xx failures reject with TransientError. */
export interface ScanFindingsPort {
  /** The same port over the registry of `registry` (its account, region and role), the role's session named for `who`. */
  at(registry: TargetAccess, who: SessionName): ScanFindingsPort;
  /** The scan of the image `digest` in `repository`, every page of its findings read. */
  readScan(repository: string, digest: string): Promise<ImageScan>;
}
