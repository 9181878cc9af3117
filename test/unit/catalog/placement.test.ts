import { resolvePlacement } from '../../../src/catalog/account.ts';
import { CatalogError, parseCatalog } from '../../../src/catalog/load.ts';

// Issue 20: a catalog target names the account, region and deployment role it lives behind,
// and the registry its images come from; `npm run catalog` refuses what cannot be right.

const problemsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof CatalogError) return error.problems;
    throw error;
  }
  throw new Error('expected a CatalogError');
};

const environment = (name: string, fields: string[]) =>
  [
    `      ${name}:`,
    '        cluster: prod',
    '        service: web',
    '        container: web',
    '        repository: demo/web',
    '        slackChannel: "#c"',
    ...fields.map((field) => `        ${field}`),
  ].join('\n');
const catalog = (...environments: string[]) =>
  ['services:', '  web:', '    environments:', ...environments, ''].join('\n');
const parse = (text: string) => parseCatalog(text, 'c.yml', {});

const PROD_ROLE = 'arn:aws:iam::222222222222:role/release-automation-deploy';

describe('catalog placement: account, region, role, registry', () => {
  it('reads a target in another account and region, with its role, external id and registry', () => {
    const parsed = parse(
      catalog(
        environment('production', [
          'account: "222222222222"',
          'region: us-west-2',
          `roleArn: ${PROD_ROLE}`,
          'externalId: release-automation',
          'registry: { account: "333333333333", region: us-east-1 }',
        ]),
      ),
    );
    expect(parsed.services.web?.environments.production).toMatchObject({
      account: '222222222222',
      region: 'us-west-2',
      roleArn: PROD_ROLE,
      externalId: 'release-automation',
      registry: { account: '333333333333', region: 'us-east-1' },
    });
  });

  it('refuses a role in another account than the one named', () => {
    expect(
      problemsOf(() => parse(catalog(environment('production', ['account: "111111111111"', `roleArn: ${PROD_ROLE}`])))),
    ).toEqual([
      {
        path: 'services.web.environments.production.roleArn',
        message:
          "is a role in account 222222222222, not in 111111111111 (the account named): the role must be in the target's account",
      },
    ]);
  });

  it('refuses a malformed account id, region, role ARN or external id, each by its path', () => {
    const problems = problemsOf(() =>
      parse(
        catalog(
          environment('production', [
            'account: "22222222222"',
            'region: US-West-2',
            'roleArn: arn:aws:iam::222222222222:user/deployer',
            'externalId: "x"',
          ]),
          environment('staging', ['account: 222222222222']),
        ),
      ),
    );
    expect(problems.map((problem) => problem.path).sort()).toEqual([
      'services.web.environments.production.account',
      'services.web.environments.production.externalId',
      'services.web.environments.production.region',
      'services.web.environments.production.roleArn',
      'services.web.environments.staging.account',
    ]);
    expect(problems.find((problem) => problem.path.endsWith('production.account'))?.message).toBe(
      'is not an AWS account id (twelve digits, quoted)',
    );
    expect(problems.find((problem) => problem.path.endsWith('staging.account'))?.message).toMatch(
      /quoted string of twelve digits/,
    );
  });

  it('refuses an external id without a role, and a registry role outside the registry account', () => {
    const problems = problemsOf(() =>
      parse(
        catalog(
          environment('production', [
            'externalId: release-automation',
            `registry: { account: "333333333333", roleArn: "${PROD_ROLE}" }`,
          ]),
        ),
      ),
    );
    expect(problems.map((problem) => problem.path).sort()).toEqual([
      'services.web.environments.production.externalId',
      'services.web.environments.production.registry.roleArn',
    ]);
  });

  it('refuses two targets naming one ECS service in one account and region, not in two', () => {
    const twice = (second: string[]) =>
      parse(
        catalog(
          environment('production', ['account: "222222222222"', 'region: us-west-2']),
          environment('staging', second),
        ),
      );
    expect(problemsOf(() => twice(['account: "222222222222"', 'region: us-west-2']))).toEqual([
      {
        path: 'services.web.environments.staging',
        message:
          'releases to ECS service web in cluster prod (222222222222, us-west-2), as services.web.environments.production does: each ECS service may have one catalog entry',
      },
    ]);
    expect(() => twice(['account: "222222222222"', 'region: us-east-1'])).not.toThrow();
    expect(() => twice(['account: "111111111111"', 'region: us-west-2'])).not.toThrow();
  });

  it("resolves a placement against the automation's own: the role's account where only the role is named", () => {
    const home = { account: '000000000000', region: 'us-east-1' };
    expect(resolvePlacement({}, home)).toEqual(home);
    expect(resolvePlacement({ roleArn: PROD_ROLE }, home)).toEqual({
      account: '222222222222',
      region: 'us-east-1',
      roleArn: PROD_ROLE,
    });
    expect(resolvePlacement({ account: '222222222222', region: 'us-west-2' }, home)).toEqual({
      account: '222222222222',
      region: 'us-west-2',
    });
  });
});
