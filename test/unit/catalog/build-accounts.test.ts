import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// What config/build.cjs gives serverless.yml for a catalog of many accounts and
// regions (issue 20): the roles the functions may assume, the default bus's
// policy, and the automation's own ARNs only for the targets it reaches itself.

const root = fileURLToPath(new URL('../../../', import.meta.url));

type Built = {
  assumeRoleArns: unknown[];
  catalogBusPolicy: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  ecsServiceArns: unknown[];
  ecsClusterArns: unknown[];
  ecrRepositoryArns: unknown[];
  ecsInfrastructureRoleArns: unknown[];
};

// config/build.cjs reads RELEASE_CATALOG_FILE when it loads: a fresh Node process per catalog.
const build = async (catalogFile: string): Promise<Built> => {
  const script = "require('./config/build.cjs')().then((built) => process.stdout.write(JSON.stringify(built)))";
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
    cwd: root,
    env: { ...process.env, RELEASE_CATALOG_FILE: catalogFile },
  });
  return JSON.parse(stdout) as Built;
};

const catalogFile = (text: string) => {
  const file = join(mkdtempSync(join(tmpdir(), 'build-accounts-')), 'catalog.yml');
  writeFileSync(file, text);
  return file;
};
const sub = (arn: string) => ({ 'Fn::Sub': arn });

describe('config/build.cjs: many accounts and regions', () => {
  it("lets the functions assume the catalog's roles, and the bus take the catalog's accounts' events", async () => {
    const built = await build(join(root, 'test/fixtures/catalog/accounts.yml'));
    expect(built.assumeRoleArns).toEqual([
      'arn:aws:iam::222222222222:role/release-automation-deploy',
      'arn:aws:iam::333333333333:role/release-automation-deploy',
    ]);
    expect(built.catalogBusPolicy).toEqual({
      CatalogAccountsEventBusPolicy: {
        Type: 'AWS::Events::EventBusPolicy',
        Properties: {
          EventBusName: 'default',
          StatementId: 'release-automation-catalog-accounts',
          Statement: {
            Effect: 'Allow',
            Principal: {
              AWS: [
                sub('arn:${AWS::Partition}:iam::222222222222:root'),
                sub('arn:${AWS::Partition}:iam::333333333333:root'),
              ],
            },
            Action: 'events:PutEvents',
            Resource: sub('arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default'),
          },
        },
      },
    });
    // Production is reached through its role (which passes its load balancer's role there);
    // staging's images through the registry's role: the stack's own policies name neither.
    expect(built.ecsServiceArns).toEqual([
      sub('arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/apps/web'),
    ]);
    expect(built.ecrRepositoryArns).toEqual([
      sub('arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/none-without-a-role!'),
    ]);
    expect(built.ecsInfrastructureRoleArns).toEqual([
      sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:role/no-role-is-named-in-the-catalog!'),
    ]);
  }, 30_000);

  it("names a target's region where it names one but no role; no role and no account: nothing to assume, no bus policy", async () => {
    const built = await build(
      catalogFile(`services:
  web:
    environments:
      staging:
        region: eu-west-1
        cluster: apps
        service: web
        container: web
        repository: demo/web
        slackChannel: "#releases"
`),
    );
    expect(built.ecsServiceArns).toEqual([
      sub('arn:${AWS::Partition}:ecs:eu-west-1:${AWS::AccountId}:service/apps/web'),
    ]);
    expect(built.ecsClusterArns).toEqual([sub('arn:${AWS::Partition}:ecs:eu-west-1:${AWS::AccountId}:cluster/apps')]);
    // Its images are in the automation's own registry, in the automation's region.
    expect(built.ecrRepositoryArns).toEqual([
      sub('arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/demo/web'),
    ]);
    expect(built.assumeRoleArns).toEqual([
      sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:role/no-role-is-named-in-the-catalog!'),
    ]);
    expect(built.catalogBusPolicy).toEqual({});
  }, 30_000);
});
