// Build-time access to the service catalog for serverless.yml and esbuild.
// Node 24 loads the TypeScript source directly, so this is the same validation
// the sandbox and tests run; an invalid catalog stops `serverless package`.
const path = require('node:path');
// The catalog feature's entry, as everything outside src/catalog/ reaches it.
const { caBundles, caBundleFiles, loadCatalogFile } = require('../src/catalog/index.ts');

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
  return {
    ecrRepositories: [...repositories].sort(),
    ecrRepositoryArns: unique(
      targets.map((t) => `arn:\${AWS::Partition}:ecr:\${AWS::Region}:\${AWS::AccountId}:repository/${t.repository}`),
    ).map(sub),
    ecsServiceArns: unique(
      targets.map(
        (t) => `arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:service/${t.cluster}/${t.service}`,
      ),
    ).map(sub),
    ecsServiceDeploymentArns: unique(
      targets.map(
        (t) =>
          `arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:service-deployment/${t.cluster}/${t.service}/*`,
      ),
    ).map(sub),
    ecsClusterArns: unique(
      targets.map((t) => `arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:cluster/${t.cluster}`),
    ).map(sub),
    // The ECS infrastructure roles for load balancers the catalog names: the
    // only roles deploy and rollback may pass to ECS. IAM refuses a statement
    // with no resource, so a catalog naming none gets an ARN no role can have
    // (IAM role names and paths take no "!"): the statement then allows nothing.
    ecsInfrastructureRoleArns: (() => {
      const roles = unique(targets.flatMap((t) => (t.loadBalancer ? [t.loadBalancer.roleArn] : [])));
      return roles.length > 0
        ? roles
        : [sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/no-role-is-named-in-the-catalog!`)];
    })(),
    ...secretValues(catalog, sub, unique),
    // The push reconciler's schedule (EventBridge writes `1 minute`, never `1 minutes`).
    reconcileSchedule: `rate(${catalog.reconcile.everyMinutes} minute${catalog.reconcile.everyMinutes === 1 ? '' : 's'})`,
    staleReleaseAlarms: staleReleaseAlarms(catalog),
    ecsTaskArns: unique(
      targets.map((t) => `arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:task/${t.cluster}/*`),
    ).map(sub),
  };
};

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
