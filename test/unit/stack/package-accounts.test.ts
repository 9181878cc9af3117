import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkAccounts } from '../../../scripts/package/accounts.ts';
import { readPackagedTemplate } from '../../../scripts/package/template.ts';
import { loadCatalogFile } from '../../../src/catalog/index.ts';

// check-package's look at the accounts (issue 20) on small packaged templates:
// a function may assume the catalog's roles, never "*"; the default bus takes
// the catalog's accounts' events, never a "*" principal's.

const root = fileURLToPath(new URL('../../../', import.meta.url));
const catalog = loadCatalogFile(join(root, 'test/fixtures/catalog/accounts.yml'), {});
const ROLES = [
  'arn:aws:iam::222222222222:role/release-automation-deploy',
  'arn:aws:iam::333333333333:role/release-automation-deploy',
];
const accountRoot = (account: string) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:iam::${account}:root` });

const packaged = (assumable: unknown, principal: unknown) => {
  const file = join(mkdtempSync(join(tmpdir(), 'package-accounts-')), 'template.json');
  const resources = {
    PlanIamRoleLambdaExecution: {
      Type: 'AWS::IAM::Role',
      Properties: {
        Policies: [
          { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: assumable }] } },
        ],
      },
    },
    CatalogAccountsEventBusPolicy: {
      Type: 'AWS::Events::EventBusPolicy',
      Properties: {
        EventBusName: 'default',
        Statement: { Effect: 'Allow', Principal: principal, Action: 'events:PutEvents' },
      },
    },
  };
  writeFileSync(file, JSON.stringify({ Resources: resources }));
  return readPackagedTemplate(file);
};

const failures = (template: ReturnType<typeof readPackagedTemplate>) => {
  const failed: string[] = [];
  checkAccounts(template, catalog, (ok, what) => {
    if (!ok) failed.push(what);
  });
  return failed;
};

describe('check-package: accounts', () => {
  it("passes the catalog's roles and accounts", () => {
    expect(failures(packaged(ROLES, { AWS: [accountRoot('222222222222'), accountRoot('333333333333')] }))).toEqual([]);
  });

  it('refuses sts:AssumeRole on "*"', () => {
    expect(failures(packaged('*', { AWS: [accountRoot('222222222222'), accountRoot('333333333333')] }))).toEqual([
      'no role may assume every role: sts:AssumeRole names roles, never "*"',
      "the functions acting in a target may assume the catalog's 2 deployment role(s)",
    ]);
  });

  it('refuses a bus policy with a "*" principal, or an account the catalog does not name', () => {
    expect(failures(packaged(ROLES, '*'))).toEqual([
      'the event bus policies name accounts, never a "*" principal',
      "the default bus takes events from exactly the catalog's accounts (222222222222, 333333333333)",
    ]);
    expect(failures(packaged(ROLES, { AWS: [accountRoot('222222222222'), accountRoot('444444444444')] }))).toEqual([
      "the default bus takes events from exactly the catalog's accounts (222222222222, 333333333333)",
    ]);
  });
});
