import { fileURLToPath } from 'node:url';
import { CatalogError, loadCatalogFile, parseCatalog } from '../../../src/catalog/load.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/catalog/${name}`, import.meta.url));
const problemsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof CatalogError) return error.problems;
    throw error;
  }
  throw new Error('expected a CatalogError');
};

describe('service catalog', () => {
  it('loads the shipped catalog with defaults applied', () => {
    const catalog = loadCatalogFile(fileURLToPath(new URL('../../../config/catalog.yml', import.meta.url)), {});
    const staging = catalog.services.web?.environments.staging;
    expect(staging).toMatchObject({ cluster: 'sandbox', repository: 'demo/web', strategy: 'rolling' });
    expect(staging?.smoke[0]).toMatchObject({ expectStatus: 200, attempts: 3, method: 'GET' });
  });

  it('interpolates from the environment it is given', () => {
    const catalog = loadCatalogFile(fixture('missing-variable.yml'), { MISSING_CLUSTER: 'prod-cluster' });
    expect(catalog.services.web?.environments.staging?.cluster).toBe('prod-cluster');
  });

  it('names the file, the path and the problem for each invalid field', () => {
    const file = fixture('invalid.yml');
    const problems = problemsOf(() => loadCatalogFile(file, {}));
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'services.web.environments.staging.repository', message: 'is not an ECR repository name' },
        expect.objectContaining({ path: 'services.web.environments.staging.strategy' }),
        expect.objectContaining({ path: 'services.web.environments.staging.smoke.0.url' }),
      ]),
    );
    expect(() => loadCatalogFile(file, {})).toThrow(file);
  });

  it('fails on a missing variable with the path that uses it', () => {
    expect(problemsOf(() => loadCatalogFile(fixture('missing-variable.yml'), {}))).toEqual([
      {
        path: 'services.web.environments.staging.cluster',
        message: expect.stringContaining('${MISSING_CLUSTER} is not set'),
      },
    ]);
  });

  it('rejects bad service names, unknown keys, bad tag filters and YAML errors', () => {
    const base =
      'cluster: c\n        service: s\n        container: c\n        repository: r\n        slackChannel: "#c"';
    const yaml = (service: string, extra = '') =>
      `services:\n  ${service}:\n    environments:\n      staging:\n        ${base}${extra}\n`;
    expect(problemsOf(() => parseCatalog(yaml('Web'), 'c.yml', {}))[0]?.message).toMatch(
      /name "Web" must be lower-case/,
    );
    expect(problemsOf(() => parseCatalog(yaml('web', '\n        colour: red'), 'c.yml', {}))[0]?.message).toMatch(
      /colour/,
    );
    expect(
      problemsOf(() => parseCatalog(yaml('web', '\n        tagFilter: { pattern: "v(" }'), 'c.yml', {}))[0],
    ).toEqual({
      path: 'services.web.environments.staging.tagFilter.pattern',
      message:
        'is not a regular expression the tag filter can use (RE2 syntax: no lookaround or backreferences): error parsing regexp: missing closing ): `v(`',
    });
    expect(
      problemsOf(() => parseCatalog(yaml('web', '\n        tagFilter: { pattern: "^v(?!.*-rc)" }'), 'c.yml', {}))[0]
        ?.message,
    ).toMatch(/RE2 syntax: no lookaround or backreferences\): .*invalid or unsupported Perl syntax: `\(\?!`/);
    expect(problemsOf(() => parseCatalog('services: [', 'c.yml', {}))[0]?.message).toMatch(/not valid YAML/);
    const slowSmoke = '\n        smoke: [{ url: "https://x.example/", attempts: 10, timeoutSeconds: 20 }]';
    expect(problemsOf(() => parseCatalog(yaml('web', slowSmoke), 'c.yml', {}))[0]).toEqual({
      path: 'services.web.environments.staging.smoke.0',
      message: expect.stringContaining('within 100 s'),
    });
  });

  it('refuses two entries releasing to the same ECS service, naming both', () => {
    const target = (cluster: string, service: string) =>
      `cluster: ${cluster}\n        service: ${service}\n        container: c\n        repository: r\n        slackChannel: "#c"`;
    const text = [
      'services:',
      '  web:',
      '    environments:',
      '      staging:',
      `        ${target('${WEB_CLUSTER:-shared}', 'web')}`,
      '      production:',
      `        ${target('prod', 'web')}`,
      '  shop:',
      '    environments:',
      '      staging:',
      `        ${target('shared', 'web')}`,
      '',
    ].join('\n');
    expect(problemsOf(() => parseCatalog(text, 'c.yml', {}))).toEqual([
      {
        path: 'services.shop.environments.staging',
        message:
          "releases to ECS service web in cluster shared (the automation's account, its region), as services.web.environments.staging does: each ECS service may have one catalog entry",
      },
    ]);
    expect(() => parseCatalog(text, 'c.yml', { WEB_CLUSTER: 'staging' })).not.toThrow();
  });

  it('says that names are not interpolated when a mapping key holds ${VAR}', () => {
    const text =
      'services:\n  ${SERVICE}:\n    environments:\n      staging:\n        cluster: c\n        service: s\n        container: c\n        repository: r\n        slackChannel: "#c"\n';
    expect(problemsOf(() => parseCatalog(text, 'c.yml', { SERVICE: 'web' }))).toEqual([
      {
        path: 'services.${SERVICE}',
        message:
          'the name "${SERVICE}" holds a ${...}: names (mapping keys) are not interpolated, only values are; write the name itself',
      },
    ]);
  });

  describe('refuses names a plain object already has (the name would be looked up as an inherited member)', () => {
    const entry = (name: string) =>
      `      ${name}:\n        cluster: c\n        service: s-${name.replace(/_/g, '')}\n        container: c\n        repository: r\n        slackChannel: "#c"\n`;
    const catalogWith = ({ service = 'web', environment = 'staging' }) =>
      `services:\n  ${service}:\n    environments:\n${entry(environment)}`;
    it.each(['constructor', 'prototype'])('%s, as a service or an environment', (name) => {
      expect(problemsOf(() => parseCatalog(catalogWith({ service: name }), 'c.yml', {}))).toEqual([
        { path: `services.${name}`, message: expect.stringMatching(new RegExp(`^name "${name}" is reserved`)) },
      ]);
      expect(problemsOf(() => parseCatalog(catalogWith({ environment: name }), 'c.yml', {}))).toEqual([
        {
          path: `services.web.environments.${name}`,
          message: expect.stringMatching(new RegExp(`^name "${name}" is reserved`)),
        },
      ]);
    });

    it('__proto__, which YAML reads as a key and which would otherwise vanish without a word', () => {
      const problems = [
        ...problemsOf(() => parseCatalog(catalogWith({ service: '__proto__' }), 'c.yml', {})),
        ...problemsOf(() => parseCatalog(catalogWith({ environment: '__proto__' }), 'c.yml', {})),
        ...problemsOf(() =>
          parseCatalog(
            `${catalogWith({})}secrets:\n  __proto__:\n    parameter: /p\n    type: password\n`,
            'c.yml',
            {},
          ),
        ),
      ];
      expect(problems).toEqual([
        { path: 'services.__proto__', message: expect.stringMatching(/^name "__proto__" is reserved/) },
        {
          path: 'services.web.environments.__proto__',
          message: expect.stringMatching(/^name "__proto__" is reserved/),
        },
        { path: 'secrets.__proto__', message: expect.stringMatching(/^name "__proto__" is reserved/) },
      ]);
    });

    it('and a secret that names constructor/x as its dependent is told so, not a TypeError', () => {
      const text = `${catalogWith({})}secrets:\n  db:\n    parameter: /p\n    type: password\n    schedule: rate(30 days)\n    services: [constructor/staging]\n`;
      expect(problemsOf(() => parseCatalog(text, 'c.yml', {}))).toEqual([
        {
          path: 'secrets.db.services.0',
          message: 'names constructor/staging, which is not a service and environment of this catalog',
        },
      ]);
    });
  });

  it('says a smoke URL must be http or https', () => {
    expect(problemsOf(() => loadCatalogFile(fixture('invalid.yml'), {}))).toContainEqual({
      path: 'services.web.environments.staging.smoke.0.url',
      message: 'must be an http:// or https:// URL',
    });
  });
});
