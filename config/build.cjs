// Build-time access to the service catalog for serverless.yml and esbuild.
// Node 24 loads the TypeScript source directly, so this is the same validation
// the sandbox and tests run; an invalid catalog stops `serverless package`.
const path = require('node:path');
// The catalog feature's entry, as everything outside src/catalog/ reaches it.
const {
  caBundles,
  caBundleFiles,
  catalogAccounts,
  catalogRoleArns,
  loadCatalogFile,
} = require('../src/catalog/index.ts');

// A relative RELEASE_CATALOG_FILE is relative to the working directory, as in src/catalog/runtime.ts.
const catalogFile = process.env.RELEASE_CATALOG_FILE
  ? path.resolve(process.env.RELEASE_CATALOG_FILE)
  : path.join(__dirname, 'catalog.yml');

function loadCatalog() {
  return loadCatalogFile(catalogFile, process.env);
}

/** `${file(./config/build.cjs):ecrRepositories}`: every repository the catalog releases from. */
module.exports = async () => {
  const catalog = loadCatalog();
  const repositories = new Set();
  for (const service of Object.values(catalog.services)) {
    for (const env of Object.values(service.environments)) repositories.add(env.repository);
  }
  const targets = Object.values(catalog.services).flatMap((service) => Object.values(service.environments));
  const sub = (template) => ({ 'Fn::Sub': template });
  const unique = (items) => [...new Set(items)].sort();
  // The automation acts with its own credentials on a target that names no
  // role, in the target's region; a target behind a role is reached through
  // it, and the role grants what it may do there (npx release target-role).
  const own = targets.filter((t) => !t.roleArn);
  const region = (t) => t.region ?? `\${AWS::Region}`;
  const ecsArns = (resource) =>
    orNothing(
      unique(own.map((t) => `arn:\${AWS::Partition}:ecs:${region(t)}:\${AWS::AccountId}:${resource(t)}`)),
      `arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:${resource({ cluster: NO_TARGET, service: NO_TARGET })}`,
    ).map(sub);
  return {
    ecrRepositories: [...repositories].sort(),
    // A registry (default: the automation's own) without a role is read with the functions'
    // own credentials: allowed here, and in another account by the repository's policy (README).
    ecrRepositoryArns: orNothing(
      unique(
        targets
          .filter((t) => !t.registry?.roleArn)
          .map(
            (t) =>
              `arn:\${AWS::Partition}:ecr:${t.registry?.region ?? `\${AWS::Region}`}:${t.registry?.account ?? `\${AWS::AccountId}`}:repository/${t.repository}`,
          ),
      ),
      `arn:\${AWS::Partition}:ecr:\${AWS::Region}:\${AWS::AccountId}:repository/${NO_TARGET}`,
    ).map(sub),
    ecsServiceArns: ecsArns((t) => `service/${t.cluster}/${t.service}`),
    ecsServiceDeploymentArns: ecsArns((t) => `service-deployment/${t.cluster}/${t.service}/*`),
    ecsClusterArns: ecsArns((t) => `cluster/${t.cluster}`),
    ecsTaskArns: ecsArns((t) => `task/${t.cluster}/*`),
    // The deployment roles the functions acting in a target may assume: the catalog's, no other.
    assumeRoleArns: orNothing(
      catalogRoleArns(targets),
      sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/no-role-is-named-in-the-catalog!`),
    ),
    catalogBusPolicy: catalogBusPolicy(catalogAccounts(targets), sub),
    // The ECS infrastructure roles for load balancers the catalog names: the
    // only roles deploy and rollback may pass to ECS. IAM refuses a statement
    // with no resource, so a catalog naming none gets an ARN no role can have
    // (IAM role names and paths take no "!"): the statement then allows nothing.
    ecsInfrastructureRoleArns: (() => {
      const roles = unique(own.flatMap((t) => (t.loadBalancer ? [t.loadBalancer.roleArn] : [])));
      return roles.length > 0
        ? roles
        : [sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/no-role-is-named-in-the-catalog!`)];
    })(),
    ...secretValues(catalog, sub, unique),
    // The push reconciler's schedule (EventBridge writes `1 minute`, never `1 minutes`).
    reconcileSchedule: `rate(${catalog.reconcile.everyMinutes} minute${catalog.reconcile.everyMinutes === 1 ? '' : 's'})`,
    staleReleaseAlarms: staleReleaseAlarms(catalog),
  };
};

// IAM refuses a statement with no resource: where the catalog names none, a
// resource no ARN can be (ECS and ECR names take no "!"), allowing nothing.
const NO_TARGET = 'none-without-a-role!';
const orNothing = (items, nothing) => (items.length > 0 ? items : [nothing]);

// The automation's default bus takes the events the catalog's other accounts
// forward (their ECS services' events, their registries' pushes: the rules
// `npx release target-role` prints): PutEvents from exactly the accounts the
// catalog names, never "*"; none named, no policy. The automation's own
// account is unknown at build time, so a catalog naming it lists it too,
// which allows nothing it could not do already.
function catalogBusPolicy(accounts, sub) {
  if (accounts.length === 0) return {};
  return {
    CatalogAccountsEventBusPolicy: {
      Type: 'AWS::Events::EventBusPolicy',
      Properties: {
        EventBusName: 'default',
        StatementId: 'release-automation-catalog-accounts',
        Statement: {
          Effect: 'Allow',
          Principal: { AWS: accounts.map((account) => sub(`arn:\${AWS::Partition}:iam::${account}:root`)) },
          Action: 'events:PutEvents',
          Resource: sub(`arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:event-bus/default`),
        },
      },
    },
  };
}

// Where a rotation keeps the value it has not yet tested (src/rotation/rotation.ts): never under the name ECS reads.
const PENDING_PREFIX = '/release-automation/rotation-pending';

// One EventBridge schedule per catalog secret starting the rotation state
// machine with just the parameter, and the SSM parameters its functions may
// touch. IAM refuses a statement with no resource: a catalog with no secrets
// gets a parameter name SSM never accepts (no "!"), allowing nothing.
function secretValues(catalog, sub, unique) {
  const secrets = Object.entries(catalog.secrets);
  const parameterArn = (name) => sub(`arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${name}`);
  const orNothing = (names) =>
    (names.length > 0 ? unique(names) : ['/no-secret-is-named-in-the-catalog!']).map(parameterArn);
  return {
    rotationSchedules: secrets.map(([name, secret]) => ({
      schedule: {
        description: `Rotates ${secret.parameter} (catalog secret ${name})`,
        rate: secret.schedule,
        enabled: true,
        input: { parameter: secret.parameter, requestedBy: `schedule:${name}` },
        retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 8 },
      },
    })),
    secretParameterArns: orNothing(secrets.map(([, secret]) => secret.parameter)),
    pendingParameterArns: orNothing(secrets.map(([, secret]) => `${PENDING_PREFIX}${secret.parameter}`)),
    adminParameterArns: orNothing(
      secrets.flatMap(([, secret]) => (secret.postgres ? [secret.postgres.adminParameter] : [])),
    ),
    caParameterArns: orNothing(caBundles(catalog).flatMap(({ ca }) => ('parameter' in ca ? [ca.parameter] : []))),
    // Packaged with rotateSecret at the same path; a missing one fails the build.
    caBundleFiles: caBundleFiles(catalog, path.join(__dirname, '..')),
  };
}

// One alarm per target whose catalog entry opts in (`alarms.staleAfterHours`):
// ALARM when no release of it has succeeded (ReleasesSucceeded, published by
// finish) in each of the last staleAfterHours hours. Missing data is breaching:
// no release is exactly what it watches for.
function staleReleaseAlarms(catalog) {
  const pascal = (name) => name.replace(/(^|-)([a-z0-9])/g, (_, __, c) => c.toUpperCase());
  const resources = {};
  for (const [serviceName, service] of Object.entries(catalog.services)) {
    for (const [environment, target] of Object.entries(service.environments)) {
      const hours = target.alarms?.staleAfterHours;
      if (hours === undefined) continue;
      const id = `StaleRelease${pascal(serviceName)}${pascal(environment)}Alarm`;
      if (resources[id]) throw new Error(`two catalog targets make the alarm ${id}; rename one`);
      resources[id] = {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmName: { 'Fn::Sub': `\${AWS::StackName}-no-release-${serviceName}-${environment}` },
          AlarmDescription: `No release of ${serviceName} to ${environment} has succeeded in the last ${hours} hours (catalog alarms.staleAfterHours).`,
          Namespace: 'ReleaseAutomation',
          MetricName: 'ReleasesSucceeded',
          Dimensions: [
            { Name: 'Service', Value: serviceName },
            { Name: 'Environment', Value: environment },
          ],
          Statistic: 'Sum',
          Period: 3600,
          EvaluationPeriods: hours,
          DatapointsToAlarm: hours,
          Threshold: 1,
          ComparisonOperator: 'LessThanThreshold',
          TreatMissingData: 'breaching',
          AlarmActions: [{ Ref: 'ReleaseAlarmTopic' }],
          OKActions: [{ Ref: 'ReleaseAlarmTopic' }],
        },
      };
    }
  }
  return resources;
}

module.exports.loadCatalog = loadCatalog;
module.exports.catalogFile = catalogFile;
