// `npm run catalog`: validates the service catalog the way the build does and
// prints what it releases. Exits 1 with the file, the path and the problem.

import { fileURLToPath } from 'node:url';
import build from '../config/build.cjs';
import {
  CaBundleFileError,
  CatalogError,
  caBundleFiles,
  describeScanGate,
  describeStrategy,
} from '../src/catalog/index.ts';

const { loadCatalog, catalogFile } = build;

try {
  const catalog = loadCatalog();
  console.log(`ok ${catalogFile}`);
  for (const [service, { environments, github }] of Object.entries(catalog.services)) {
    for (const [environment, target] of Object.entries(environments)) {
      const filter = target.tagFilter ? ` tags ${JSON.stringify(target.tagFilter)}` : '';
      const from =
        target.trigger === 'github-release'
          ? `GitHub releases of ${github?.repository}${target.prereleases ? ' (and pre-releases)' : ''}: ${target.repository}`
          : target.repository;
      // Where it lives, when not the automation's own account and region (issue 20).
      const registry = target.registry
        ? ` (registry ${target.registry.account}${target.registry.region ? `/${target.registry.region}` : ''})`
        : '';
      const place =
        target.account || target.region || target.roleArn
          ? `${target.account ?? 'own account'}/${target.region ?? 'own region'}${target.roleArn ? ` as ${target.roleArn.slice(target.roleArn.indexOf(':role/') + ':role/'.length)}` : ''} `
          : '';
      console.log(
        `  ${service}/${environment}: ${from}${registry}${filter} -> ${place}${target.cluster}/${target.service}:${target.container} (${describeStrategy(target)})${target.scan ? `, ${describeScanGate(target.scan)}` : ''}${target.alarms ? `, alarm if no release succeeds in ${target.alarms.staleAfterHours} h` : ''}`,
      );
    }
  }
  for (const [name, secret] of Object.entries(catalog.secrets)) {
    const services = secret.services.length > 0 ? `, rolls ${secret.services.join(', ')}` : '';
    console.log(`  secret ${name}: ${secret.parameter} (${secret.type}) rotates ${secret.schedule}${services}`);
    const tls = secret.postgres?.tls;
    if (tls?.mode === 'verify-full') {
      const ca = 'file' in tls.ca ? `file ${tls.ca.file}` : `parameter ${tls.ca.parameter}`;
      console.log(`    PostgreSQL over TLS, verify-full against the CA bundle ${ca}`);
    } else if (tls?.mode === 'disable') {
      // Allowed for a database on this machine only (the schema refuses any other host); said on every check.
      console.warn(
        `  WARNING secret ${name}: TLS is disabled for ${secret.postgres?.host}: the admin login and the new password's verifier travel in clear. For a local sandbox only.`,
      );
    }
  }
  // The build packages these with the rotation function: a missing one fails here as it would there.
  caBundleFiles(catalog, fileURLToPath(new URL('..', import.meta.url)));
} catch (error) {
  if (!(error instanceof CatalogError || error instanceof CaBundleFileError)) throw error;
  console.error(error.message);
  process.exit(1);
}
