import {
  DescribeImageScanFindingsCommand,
  type DescribeImageScanFindingsResponse,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { awsCall } from '../../platform/aws-errors.ts';
import { ImageNotFoundError } from '../../platform/errors.ts';
import type { TargetAccess } from '../../platform/target-access.ts';
import { SCAN_SEVERITIES, type ScanFinding, type ScanFindingsPort, type ScanSeverity } from '../ports/scan-findings.ts';
import { deniedRead, type EcrClients, registryName } from './ecr.ts';

const isNamed = (error: unknown, name: string) => error instanceof Error && error.name === name;
const isSeverity = (value: string | undefined): value is ScanSeverity =>
  (SCAN_SEVERITIES as readonly (string | undefined)[]).includes(value);

// ECR's largest page: an image with hundreds of findings takes a few calls.
const PAGE_SIZE = 1000;
// Enhanced scanning (Amazon Inspector) reports ACTIVE while it keeps the image under continuous scan.
const FINISHED = new Set(['COMPLETE', 'ACTIVE']);
const RUNNING = new Set(['IN_PROGRESS', 'PENDING']);

/** The scan-findings port over an AWS SDK v3 ECR client: DescribeImageScanFindings, every page. */
export function createEcrScanFindings(client: ECRClient, clients?: EcrClients): ScanFindingsPort {
  return scanFindings(client, clients, undefined);
}

// `registry` absent: the automation's own registry.
function scanFindings(client: ECRClient, clients: EcrClients | undefined, registry?: TargetAccess): ScanFindingsPort {
  return {
    at: (registry, who) => scanFindings(clients?.(registry, who) ?? client, clients, registry),

    async readScan(repository, digest) {
      const findings: ScanFinding[] = [];
      let first: DescribeImageScanFindingsResponse | undefined;
      let nextToken: string | undefined;
      do {
        const page = await describe(client, registry, repository, digest, nextToken);
        if (page === undefined) return { status: 'NOT_SCANNED' };
        first ??= page;
        // ECR always says; were it ever silent, the gate would rather refuse than judge findings it cannot trust.
        const status = page.imageScanStatus?.status ?? 'UNKNOWN';
        if (RUNNING.has(status)) return { status: 'IN_PROGRESS' };
        if (!FINISHED.has(status)) {
          return {
            status: 'FAILED',
            description: `${status}: ${page.imageScanStatus?.description ?? 'no description'}`,
          };
        }
        findings.push(...findingsOf(page));
        nextToken = page.nextToken;
      } while (nextToken);
      return { status: 'COMPLETE', findings, severityCounts: severityCounts(first) };
    },
  };
}

async function describe(
  client: ECRClient,
  registry: TargetAccess | undefined,
  repository: string,
  digest: string,
  nextToken: string | undefined,
): Promise<DescribeImageScanFindingsResponse | undefined> {
  return awsCall('DescribeImageScanFindings', async () => {
    try {
      return await client.send(
        new DescribeImageScanFindingsCommand({
          ...(registry === undefined ? {} : { registryId: registry.account }),
          repositoryName: repository,
          imageId: { imageDigest: digest },
          maxResults: PAGE_SIZE,
          ...(nextToken === undefined ? {} : { nextToken }),
        }),
      );
    } catch (error) {
      if (isNamed(error, 'ScanNotFoundException')) return undefined;
      if (isNamed(error, 'ImageNotFoundException') || isNamed(error, 'RepositoryNotFoundException')) {
        throw new ImageNotFoundError(`${repository}@${digest} is not in ${registryName(registry)}`, { cause: error });
      }
      throw deniedRead(error, registry, repository) ?? error;
    }
  });
}

// Basic scanning lists `findings`, enhanced scanning `enhancedFindings`; one of them is set.
function findingsOf(page: DescribeImageScanFindingsResponse): ScanFinding[] {
  const basic = (page.imageScanFindings?.findings ?? []).map((finding) => ({
    id: finding.name ?? 'unnamed',
    severity: isSeverity(finding.severity) ? finding.severity : 'UNDEFINED',
    ...packageOf(finding.attributes?.find((attribute) => attribute.key === 'package_name')?.value),
  }));
  const enhanced = (page.imageScanFindings?.enhancedFindings ?? []).map((finding) => ({
    id: finding.packageVulnerabilityDetails?.vulnerabilityId ?? finding.title ?? 'unnamed',
    severity: isSeverity(finding.severity) ? finding.severity : 'UNDEFINED',
    ...packageOf(finding.packageVulnerabilityDetails?.vulnerablePackages?.[0]?.name),
  }));
  return [...basic, ...enhanced];
}

const packageOf = (name: string | undefined) => (name === undefined ? {} : { package: name });

function severityCounts(page: DescribeImageScanFindingsResponse | undefined): Partial<Record<ScanSeverity, number>> {
  const counts: Partial<Record<ScanSeverity, number>> = {};
  for (const [severity, count] of Object.entries(page?.imageScanFindings?.findingSeverityCounts ?? {})) {
    if (isSeverity(severity)) counts[severity] = count;
  }
  return counts;
}
