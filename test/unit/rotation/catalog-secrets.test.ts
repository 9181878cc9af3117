import { CatalogError, parseCatalog } from '../../../src/catalog/load.ts';
import { scheduleProblem } from '../../../src/catalog/secrets.ts';

const catalog = (secret: string) => `
services:
  web:
    environments:
      staging: { cluster: c, service: web, container: web, repository: demo/web, slackChannel: "#r" }
secrets:
  db:
${secret
  .trim()
  .split('\n')
  .map((line) => `    ${line}`)
  .join('\n')}
`;
const problems = (secret: string) => {
  try {
    parseCatalog(catalog(secret), 'c.yml', {});
  } catch (error) {
    if (error instanceof CatalogError) return error.problems;
    throw error;
  }
  return [];
};
const target = 'host: db, port: "5433", database: shop, adminParameter: /db/admin, baseUser: shop';
const postgres = `postgres: { ${target}, tls: { ca: { file: certs/db.pem } } }`;

describe('catalog secrets', () => {
  it('takes a postgres credential with its target, and the defaults', () => {
    const parsed = parseCatalog(
      catalog(
        `parameter: /app/db\ntype: postgres-credentials\nschedule: rate(30 days)\nservices: [web/staging]\n${postgres}`,
      ),
      'c.yml',
      {},
    );
    expect(parsed.secrets.db).toMatchObject({
      generator: {},
      services: ['web/staging'],
      postgres: { port: 5433, baseUser: 'shop' },
      slackChannel: '#releases',
      rotators: [],
    });
  });

  it('takes Slack users and user groups as rotators, and refuses anything else', () => {
    const secret = 'parameter: /app/pw\ntype: password\nschedule: rate(1 day)\nrotators:';
    expect(problems(`${secret} [U0ROTATOR, W0GRID, S0GROUP]`)).toEqual([]);
    expect(problems(`${secret} [bob]`)).toEqual([
      expect.objectContaining({ path: 'secrets.db.rotators.0', message: expect.stringMatching(/Slack user id/) }),
    ]);
  });

  it.each([
    ['rate(1 day)', undefined],
    ['rate(7 days)', undefined],
    ['cron(0 3 ? * MON *)', undefined],
    ['cron(15 10 1 * ? *)', undefined],
    ['rate(1 days)', 'write rate(1 day)'],
    ['rate(2 hour)', 'write rate(2 hours)'],
    ['rate(0 minutes)', 'a rate must be at least 1'],
    ['cron(0 3 * * *)', 'a cron expression has 6 fields, this one has 5'],
    ['cron(0 3 * * MON *)', 'exactly one of day-of-month and day-of-week must be "?"'],
    ['every day', 'must be rate('],
  ])('schedule %s', (expression, problem) => {
    if (problem === undefined) expect(scheduleProblem(expression)).toBeUndefined();
    else expect(scheduleProblem(expression)).toContain(problem);
  });

  it('names the path and the problem of each invalid combination', () => {
    expect(problems('parameter: /app/db\ntype: postgres-credentials\nschedule: rate(1 day)')).toEqual([
      { path: 'secrets.db.postgres', message: 'is required for type postgres-credentials' },
    ]);
    expect(problems(`parameter: /app/key\ntype: api-key\nschedule: rate(1 day)\n${postgres}`)).toEqual([
      { path: 'secrets.db.postgres', message: 'applies only to type postgres-credentials, not api-key' },
    ]);
    expect(
      problems('parameter: /app/key\ntype: jwt-signing-key\nschedule: rate(1 day)\ngenerator: { length: 40 }'),
    ).toEqual([
      { path: 'secrets.db.generator.length', message: 'applies to passwords, not to type jwt-signing-key (use bytes)' },
    ]);
    expect(problems('parameter: /app/pw\ntype: password\nschedule: rate(1 day)\ngenerator: { bytes: 32 }')).toEqual([
      { path: 'secrets.db.generator.bytes', message: 'applies to keys, not to type password (use length)' },
    ]);
    expect(
      problems('parameter: /app/pw\ntype: password\nschedule: rate(1 day)\ngenerator: { length: 8, alphabet: abcd }'),
    ).toEqual([{ path: 'secrets.db.generator', message: expect.stringContaining('fewer than 128 bits') }]);
    expect(problems('parameter: /app/pw\ntype: password\nschedule: rate(1 day)\nservices: [api/prod]')).toEqual([
      {
        path: 'secrets.db.services.0',
        message: 'names api/prod, which is not a service and environment of this catalog',
      },
    ]);
    expect(problems('parameter: app/pw\ntype: password\nschedule: rate(1 day)')[0]?.path).toBe('secrets.db.parameter');
    expect(problems('parameter: /aws/pw\ntype: password\nschedule: rate(1 day)')[0]?.message).toMatch(/aws/);
    expect(problems('parameter: /app/pw\ntype: password\nschedule: daily')[0]).toMatchObject({
      path: 'secrets.db.schedule',
      message: expect.stringMatching(/^is not an EventBridge schedule/),
    });
  });

  it("checks PostgreSQL's certificate by default (verify-full), against the CA bundle the secret names", () => {
    const db = (tls: string, host = 'db') =>
      `parameter: /app/db\ntype: postgres-credentials\nschedule: rate(1 day)\npostgres: { ${target.replace('host: db', `host: ${host}`)}${tls} }`;
    const tlsOf = (tls: string, host?: string) =>
      parseCatalog(catalog(db(tls, host)), 'c.yml', {}).secrets.db?.postgres?.tls;
    expect(tlsOf(', tls: { ca: { file: certs/rds-global-bundle.pem } }')).toEqual({
      mode: 'verify-full',
      ca: { file: 'certs/rds-global-bundle.pem' },
    });
    expect(tlsOf(', tls: { mode: verify-full, ca: { parameter: /db/ca } }')).toEqual({
      mode: 'verify-full',
      ca: { parameter: '/db/ca' },
    });
    expect(problems(db(''))).toEqual([
      { path: 'secrets.db.postgres.tls', message: expect.stringMatching(/^is required: tls: \{ ca: /) },
    ]);
    expect(problems(db(', tls: { mode: verify-full }'))).toEqual([
      { path: 'secrets.db.postgres.tls.ca', message: expect.stringMatching(/^must name the CA bundle/) },
    ]);
    expect(problems(db(', tls: { ca: { file: a.pem, parameter: /db/ca } }'))[0]?.path).toBe(
      'secrets.db.postgres.tls.ca',
    );
    expect(problems(db(', tls: { mode: require }'))).toEqual([
      { path: 'secrets.db.postgres.tls.mode', message: 'must be verify-full (the default) or disable' },
    ]);
  });

  it('lets TLS be disabled for a database on this machine only', () => {
    const db = (host: string) =>
      `parameter: /app/db\ntype: postgres-credentials\nschedule: rate(1 day)\npostgres: { ${target.replace('host: db', `host: "${host}"`)}, tls: { mode: disable } }`;
    for (const host of ['127.0.0.1', 'localhost', '::1']) expect(problems(db(host))).toEqual([]);
    for (const host of ['db.internal', '10.0.0.5', '127.0.0.1.example.com']) {
      expect(problems(db(host))).toEqual([
        {
          path: 'secrets.db.postgres.tls.mode',
          message: expect.stringContaining(`disable is allowed only for a database on this machine`),
        },
      ]);
    }
  });

  it('refuses two secrets on one parameter', () => {
    const text = `${catalog('parameter: /app/pw\ntype: password\nschedule: rate(1 day)')}  again:\n    parameter: /app/pw\n    type: password\n    schedule: rate(2 days)\n`;
    expect(() => parseCatalog(text, 'c.yml', {})).toThrow(
      /secrets\.again\.parameter: is also the parameter of secrets\.db/,
    );
  });
});
