import { GetParameterHistoryCommand, type ParameterHistory, ParameterNotFound } from '@aws-sdk/client-ssm';
import type { CatalogSecret } from './catalog-secrets.ts';
import { table } from './format.ts';
import type { Target } from './target.ts';

// `release secrets list|history`: what the catalog says about each secret and
// what SSM's metadata says about its versions. Values are never read: the
// history is asked for without decryption and its Value field is dropped.

export const secretsUsage = `Usage: release secrets list
       release secrets history <parameter>

list      the catalog's secrets: parameter, type, schedule, the services that
          read it, and its latest version in SSM (version, when, labels)
history   every version of one parameter, oldest first: version, date,
          labels, who wrote it (never values)`;

/** A parameter's versions without their values, oldest first; undefined when the parameter does not exist. */
export async function parameterVersions(
  target: Target,
  parameter: string,
): Promise<Omit<ParameterHistory, 'Value'>[] | undefined> {
  const versions: Omit<ParameterHistory, 'Value'>[] = [];
  let NextToken: string | undefined;
  try {
    do {
      const page = await target.ssm.send(
        new GetParameterHistoryCommand({ Name: parameter, WithDecryption: false, MaxResults: 50, NextToken }),
      );
      for (const { Value: _value, ...metadata } of page.Parameters ?? []) versions.push(metadata);
      NextToken = page.NextToken;
    } while (NextToken);
  } catch (error) {
    if (error instanceof ParameterNotFound) return undefined;
    throw error;
  }
  return versions;
}

const when = (date: Date | undefined) => (date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '');
const labels = (version: { Labels?: string[] }) => (version.Labels?.length ? version.Labels.join(',') : '-');

/** The catalog's secrets with their latest version's metadata, as a table. */
export async function listSecrets(target: Target, secrets: readonly CatalogSecret[]): Promise<string> {
  if (secrets.length === 0) return 'the catalog has no secrets';
  const rows: string[][] = [];
  for (const secret of secrets) {
    const latest = (await parameterVersions(target, secret.parameter))?.at(-1);
    rows.push([
      secret.parameter,
      secret.type,
      secret.schedule ?? '-',
      secret.services?.length ? secret.services.join(',') : '(from task definitions)',
      latest ? String(latest.Version ?? '') : 'not in SSM',
      latest ? when(latest.LastModifiedDate) : '-',
      latest ? labels(latest) : '-',
    ]);
  }
  return table(['PARAMETER', 'TYPE', 'SCHEDULE', 'SERVICES', 'VERSION', 'LAST MODIFIED', 'LABELS'], rows);
}

/** Every version of a parameter as a table, oldest first; never values. */
export async function secretHistory(target: Target, parameter: string): Promise<string> {
  const versions = await parameterVersions(target, parameter);
  if (versions === undefined) throw new ParameterMissingError(`${parameter} does not exist at ${target.description}`);
  return table(
    ['VERSION', 'DATE', 'LABELS', 'BY'],
    versions.map((version) => [
      String(version.Version ?? ''),
      when(version.LastModifiedDate),
      labels(version),
      version.LastModifiedUser ?? '',
    ]),
  );
}

/** Raised when `secrets history` names a parameter SSM does not have. */
export class ParameterMissingError extends Error {
  override name = 'ParameterMissingError';
}
