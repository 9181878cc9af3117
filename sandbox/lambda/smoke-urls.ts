import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseCatalog } from '../../src/catalog/index.ts';

// The catalog's smoke checks must reach the services the sandbox runs, on
// whatever port each one's load balancer got (`--lb-port`, or a free port in
// tests), not the default the catalog names. The catalog reads its URLs from
// the environment (`url: ${WEB_STAGING_URL:-http://127.0.0.1:8080/}`), so the
// sandbox sets those variables for the functions, as a platform team sets them
// for a build; the functions never learn they run in a sandbox. A service
// released by a native strategy has a second, test listener: a variable whose
// name ends in `_TEST_URL` (`${SHOP_STAGING_TEST_URL:-…}`) points at it.

/** A load balancer the sandbox runs in front of an ECS service. */
export interface ServiceLoadBalancer {
  cluster: string;
  service: string;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The test listener's `http://127.0.0.1:<port>`, for a service released by a native strategy. */
  testUrl?: string;
}

/** Raised when two smoke checks would need one variable to hold two URLs. */
export class SmokeUrlConflictError extends Error {
  override name = 'SmokeUrlConflictError';
}

// A URL that starts with one variable, e.g. `${WEB_STAGING_URL:-http://127.0.0.1:8080/}` or `${WEB_URL:-http://…}/health`.
const LEADING_VARIABLE = /^\$\{([A-Za-z_][A-Za-z0-9_]*):-([^}]*)\}/;
// An http(s) URL's origin, and what follows it (kept as written).
const ORIGIN = /^https?:\/\/[^/?#]+(.*)$/i;
const TEST_LISTENER_VARIABLE = /_TEST_URL$/;

/**
 * The variables that point the catalog's smoke checks of the services the
 * sandbox runs at their load balancers: for a check whose URL starts with
 * `${VAR:-default}`, VAR = default with its origin replaced by the load
 * balancer's (`http://127.0.0.1:<port>`). A variable the environment already sets is left alone (the user's
 * choice); a URL without a leading variable cannot be moved and is left alone.
 */
export function smokeUrlVariables(
  catalogFile: string,
  env: Readonly<Record<string, string | undefined>>,
  loadBalancers: readonly ServiceLoadBalancer[],
): Record<string, string> {
  if (loadBalancers.length === 0) return {};
  const text = readFileSync(catalogFile, 'utf8');
  const catalog = parseCatalog(text, catalogFile, env);
  const written = parse(text) as RawCatalog;
  const variables: Record<string, string> = {};
  for (const [name, service] of Object.entries(catalog.services)) {
    for (const [environment, target] of Object.entries(service.environments)) {
      const lb = loadBalancers.find((one) => one.cluster === target.cluster && one.service === target.service);
      if (!lb) continue;
      const writtenTarget = written.services?.[name]?.environments?.[environment];
      // The production checks and the test listener's (testSmoke, native strategies).
      const checks = [...(writtenTarget?.smoke ?? []), ...(writtenTarget?.testSmoke ?? [])];
      for (const check of checks) {
        const [, variable, fallback] = LEADING_VARIABLE.exec(String(check.url ?? '')) ?? [];
        if (!variable || fallback === undefined || env[variable]) continue;
        const rest = ORIGIN.exec(fallback)?.[1];
        if (rest === undefined) continue;
        const origin = TEST_LISTENER_VARIABLE.test(variable) ? lb.testUrl : lb.url;
        if (origin === undefined) continue;
        const url = `${origin}${rest}`;
        const earlier = variables[variable];
        if (earlier !== undefined && earlier !== url) {
          throw new SmokeUrlConflictError(
            `${catalogFile}: ${variable} would be both ${earlier} and ${url}; give the smoke checks variables of their own`,
          );
        }
        variables[variable] = url;
      }
    }
  }
  return variables;
}

// The catalog as written, before interpolation; parseCatalog has validated its shape.
interface RawCatalog {
  services?: Record<
    string,
    { environments?: Record<string, { smoke?: { url?: unknown }[]; testSmoke?: { url?: unknown }[] }> }
  >;
}
