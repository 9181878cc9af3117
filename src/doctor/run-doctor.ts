import type { Catalog } from '../catalog/index.ts';
import { mapBounded } from './bounded.ts';
import { type DoctorCheck, failed, passed } from './check.ts';
import type { DoctorPorts } from './ports.ts';
import { requiredParameters } from './required-parameters.ts';
import { stackChecks } from './stack-outputs.ts';
import { checkTarget, type DoctorTarget } from './target-checks.ts';

/** Raised for `--service` naming no catalog service. */
export class UnknownServiceError extends Error {
  override readonly name = 'UnknownServiceError';
}

/** What one doctor run looks at. */
export interface DoctorRequest {
  catalog: Pick<Catalog, 'services' | 'secrets'>;
  /** How the stack is called where it runs, for the report and its fixes. */
  stackName: string;
  /** Only this catalog service's targets (the stack and parameters are checked whatever it is). */
  service?: string;
  /** Targets checked at once (default 8): fast for 50 targets, gentle on AWS's rate limits. */
  concurrency?: number;
}

/** Every check, read-only: the stack's outputs, the SSM parameters it and the catalog need, each target in its account. */
export async function runDoctor(request: DoctorRequest, ports: DoctorPorts): Promise<DoctorCheck[]> {
  const targets = catalogTargets(request.catalog, request.service);
  let outputs: Readonly<Record<string, string>>;
  const checks: DoctorCheck[] = [];
  try {
    outputs = await ports.stack.outputs();
    checks.push(...stackChecks(outputs, request.stackName));
  } catch (error) {
    outputs = {};
    checks.push(
      failed(
        'stack',
        'deployed',
        `no stack ${request.stackName}: ${error instanceof Error ? error.message : String(error)}`,
        'npx serverless deploy --stage <stage> (README, "First day", step 1)',
      ),
    );
  }
  checks.push(...(await parameterChecks(request, outputs, ports)));
  const perTarget = await mapBounded(targets, request.concurrency ?? 8, (target) => checkTarget(target, ports));
  return [...checks, ...perTarget.flat()];
}

/** The catalog's targets, all or one service's. */
export function catalogTargets(catalog: Pick<Catalog, 'services'>, only?: string): DoctorTarget[] {
  if (only !== undefined && !Object.hasOwn(catalog.services, only)) {
    throw new UnknownServiceError(
      `"${only}" is not a service in the catalog (it has ${Object.keys(catalog.services).join(', ') || 'none'})`,
    );
  }
  return Object.entries(catalog.services)
    .filter(([service]) => only === undefined || service === only)
    .flatMap(([service, { environments }]) =>
      Object.entries(environments).map(([environment, config]) => ({ service, environment, config })),
    );
}

async function parameterChecks(
  request: DoctorRequest,
  outputs: Readonly<Record<string, string>>,
  { parameters }: Pick<DoctorPorts, 'parameters'>,
): Promise<DoctorCheck[]> {
  const required = requiredParameters(outputs, request.catalog);
  let existing: Set<string>;
  try {
    existing = await parameters.existing(required.map(({ name }) => name));
  } catch (error) {
    return [
      failed(
        'parameters',
        'ssm',
        `could not list SSM parameters: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
        "check the credentials and the doctor's read-only policy (ssm:DescribeParameters)",
      ),
    ];
  }
  return required.map(({ name, purpose, value, source }) =>
    existing.has(name)
      ? passed('parameters', name, `exists: ${purpose}`)
      : failed(
          'parameters',
          name,
          `missing: ${purpose}`,
          `aws ssm put-parameter --name ${name} --type SecureString --value ${value}${source ? `  # ${source}` : ''}`,
        ),
  );
}
