import type { ImageScanFinding } from '@aws-sdk/client-ecr';

// ECR's basic scan of a pushed image, invented from the tag it was pushed
// with: `-critN` gives N CRITICAL findings, `-highN` N HIGH (e.g. `v2-crit1`,
// `v3-crit2-high5`); any other tag scans clean. The k-th CRITICAL finding is
// always CVE-2026-1000k (HIGH: CVE-2026-2000k), so a catalog can allow it by id.

/** A finished scan of one image. */
export interface StoredScan {
  completedAt: Date;
  findings: ImageScanFinding[];
  /** Whether its `ECR Image Scan` event was sent (a tag moved to a scanned image sends none). */
  announced?: boolean;
}

// ECR caps an image's findings far above this; a test of paging needs a few pages of 1000 at most.
const MAX_PER_SEVERITY = 5000;

const PACKAGES = [
  { name: 'openssl', version: '3.0.11-1~deb12u1' },
  { name: 'zlib', version: '1:1.2.13.dfsg-1' },
  { name: 'glibc', version: '2.36-9+deb12u3' },
  { name: 'curl', version: '7.88.1-10+deb12u4' },
  { name: 'libxml2', version: '2.9.14+dfsg-1.3' },
] as const;

const SEVERITIES = [
  { word: 'crit', severity: 'CRITICAL', base: 10_000, cvss: '9.8' },
  { word: 'high', severity: 'HIGH', base: 20_000, cvss: '7.5' },
] as const;

/** How many findings of each severity the tag's words ask for. */
export function findingCounts(tag: string | undefined): Record<'CRITICAL' | 'HIGH', number> {
  const count = (word: string) => {
    const match = tag?.match(new RegExp(`-${word}(\\d+)(?![0-9])`));
    return Math.min(Number(match?.[1] ?? 0), MAX_PER_SEVERITY);
  };
  return { CRITICAL: count('crit'), HIGH: count('high') };
}

/** The scan of an image pushed as `tag`, finished at `at`. */
export function scanImage(tag: string | undefined, at: Date): StoredScan {
  const counts = findingCounts(tag);
  const findings = SEVERITIES.flatMap(({ severity, base, cvss }) =>
    Array.from({ length: counts[severity] }, (_, index) => finding(severity, base + index + 1, cvss)),
  );
  return { completedAt: at, findings };
}

function finding(severity: 'CRITICAL' | 'HIGH', number: number, cvss: string): ImageScanFinding {
  const name = `CVE-2026-${number}`;
  const pkg = PACKAGES[number % PACKAGES.length] ?? PACKAGES[0];
  return {
    name,
    description: `A ${severity.toLowerCase()} vulnerability in ${pkg.name} (invented by the sandbox).`,
    uri: `https://security-tracker.debian.org/tracker/${name}`,
    severity,
    attributes: [
      { key: 'package_version', value: pkg.version },
      { key: 'package_name', value: pkg.name },
      { key: 'CVSS3_SCORE', value: cvss },
      { key: 'CVSS3_VECTOR', value: 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
    ],
  };
}

/** ECR's findingSeverityCounts: only the severities found. */
export function severityCounts(scan: StoredScan): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { severity } of scan.findings) if (severity) counts[severity] = (counts[severity] ?? 0) + 1;
  return counts;
}
