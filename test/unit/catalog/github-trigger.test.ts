import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { CatalogError, loadCatalogFile, parseCatalog } from '../../../src/catalog/load.ts';

// The catalog's GitHub fields: a service's github.repository, an environment's
// trigger (push | github-release) and prereleases.

const environment = (extra: string) => `
        cluster: sandbox
        service: web-production
        container: web
        repository: demo/web
        slackChannel: "#releases"
${extra}`;

const catalog = (service: string, env: string) => `
services:
  web:
${service}
    environments:
      production:
${environment(env)}`;

const problemsOf = (text: string) => {
  try {
    parseCatalog(text, 'catalog.yml', {});
  } catch (error) {
    if (error instanceof CatalogError) return error.problems;
    throw error;
  }
  throw new Error('expected a CatalogError');
};

describe('the catalog GitHub fields', () => {
  it('reads trigger push and no pre-releases by default', () => {
    const parsed = parseCatalog(catalog('', ''), 'catalog.yml', {});
    expect(parsed.services.web?.environments.production).toMatchObject({ trigger: 'push', prereleases: false });
  });

  it('reads a github-release environment of a service with a GitHub repository', () => {
    const parsed = parseCatalog(
      catalog('    github: { repository: example/web }', '        trigger: github-release\n        prereleases: true'),
      'catalog.yml',
      {},
    );
    expect(parsed.services.web?.github).toEqual({ repository: 'example/web' });
    expect(parsed.services.web?.environments.production).toMatchObject({
      trigger: 'github-release',
      prereleases: true,
    });
  });

  it('refuses a github-release environment whose service names no GitHub repository', () => {
    expect(problemsOf(catalog('', '        trigger: github-release'))).toEqual([
      {
        path: 'services.web.environments.production.trigger',
        message: "github-release needs the service's github.repository (owner/name) to take releases from",
      },
    ]);
  });

  it('refuses pre-releases on an environment released by pushes', () => {
    expect(problemsOf(catalog('    github: { repository: example/web }', '        prereleases: true'))).toEqual([
      {
        path: 'services.web.environments.production.prereleases',
        message: 'applies to trigger github-release only (pushes have no pre-releases)',
      },
    ]);
  });

  it.each(['example', 'example/web/extra', 'ex ample/web', '/web'])(
    'refuses the GitHub repository %s',
    (repository) => {
      expect(problemsOf(catalog(`    github: { repository: "${repository}" }`, ''))).toEqual([
        { path: 'services.web.github.repository', message: 'is not a GitHub repository (owner/name)' },
      ]);
    },
  );

  it('refuses a trigger it does not know', () => {
    expect(problemsOf(catalog('', '        trigger: tag'))).toEqual([
      expect.objectContaining({ path: 'services.web.environments.production.trigger' }),
    ]);
  });

  it('ships web/production released from GitHub releases of example/web, with a Slack approval', () => {
    const shipped = loadCatalogFile(fileURLToPath(new URL('../../../config/catalog.yml', import.meta.url)), {});
    expect(shipped.services.web?.github).toEqual({ repository: 'example/web' });
    expect(shipped.services.web?.environments.production).toMatchObject({
      service: 'web-production',
      repository: 'demo/web',
      trigger: 'github-release',
      approval: 'slack',
    });
    expect(shipped.services.web?.environments.staging?.trigger).toBe('push');
  });
});
