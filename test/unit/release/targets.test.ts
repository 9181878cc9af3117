import { describe, expect, it } from '@jest/globals';
import { catalogSchema } from '../../../src/catalog/schema.ts';
import { findTargets } from '../../../src/release/targets.ts';
import { catalogEnvironment } from '../../support/plan-ports.ts';

// A push names its registry (the ECR event's account and region): it releases
// only the environments whose images are stored there.

const HOME = { account: '000000000000', region: 'us-east-1' };
const TOOLS = { account: '333333333333', region: 'us-east-1' };
const TOOLS_ROLE = 'arn:aws:iam::333333333333:role/release-automation-ecr-read';

const catalog = catalogSchema.parse({
  services: {
    web: {
      environments: {
        // Images from the tools account's registry, read through its role.
        staging: catalogEnvironment({ registry: { account: TOOLS.account, roleArn: TOOLS_ROLE } }),
        production: catalogEnvironment({
          account: '222222222222',
          region: 'us-west-2',
          cluster: 'prod',
          registry: { account: TOOLS.account },
        }),
        // The same repository name in the automation's own registry.
        dev: catalogEnvironment({ cluster: 'dev' }),
      },
    },
  },
});

const find = (registry: { account: string; region: string }, repository = 'demo/web') =>
  findTargets(catalog, { repository, tag: 'v2', registry }, HOME);
const names = (lookup: ReturnType<typeof find>) =>
  lookup.targets.map(({ service, environment }) => `${service}/${environment}`);

describe('findTargets by registry', () => {
  it("releases the environments whose images are in the push's registry, read as the role the catalog names for it", () => {
    const lookup = find(TOOLS);
    expect(names(lookup)).toEqual(['web/staging', 'web/production']);
    expect(lookup).toMatchObject({ registry: { ...TOOLS, roleArn: TOOLS_ROLE } });
  });

  it("releases from the automation's own registry only the environments that name no other", () => {
    const lookup = find(HOME);
    expect(names(lookup)).toEqual(['web/dev']);
    expect(lookup).toMatchObject({ registry: HOME });
  });

  it('refuses a push from an account the catalog does not name', () => {
    expect(find({ account: '444444444444', region: 'us-east-1' })).toEqual({
      targets: [],
      refused: 'account 444444444444 is not named in the catalog: a push there releases nothing',
    });
  });

  it('refuses a push to a repository that is not in that registry, naming the registry', () => {
    expect(find(TOOLS, 'demo/api').refused).toBe(
      'repository demo/api is not in the service catalog (registry 333333333333/us-east-1)',
    );
    // A target's own account is named, but its images are not stored there.
    expect(find({ account: '222222222222', region: 'us-west-2' }).refused).toBe(
      'repository demo/web is not in the service catalog (registry 222222222222/us-west-2)',
    );
  });

  it("refuses a push to the registry's account in another region", () => {
    expect(find({ account: TOOLS.account, region: 'eu-west-1' }).refused).toBe(
      'repository demo/web is not in the service catalog (registry 333333333333/eu-west-1)',
    );
  });

  it("names the automation's own registry as before", () => {
    expect(find(HOME, 'demo/api').refused).toBe('repository demo/api is not in the service catalog');
  });
});
