// The seeds' alarms (README, Alarms): in the template, each notifying the
// alarm topic, which alarmNotify is subscribed to; one stale-release alarm per
// catalog target that opts in; and the roles of the functions that feed and
// read them allowed exactly that: PutMetricData in the stack's namespace only
// (it takes no resource), ListExecutions of the release state machine only.
import type { Catalog } from '../../src/catalog/index.ts';
import { actionsOf, allows, type Check, type PackagedTemplate, type Statement } from './template.ts';

const NAMESPACE = 'ReleaseAutomation';

const putsOnlyInNamespace = (statements: Statement[]) =>
  statements
    .filter((statement) => allows(statement, 'cloudwatch:PutMetricData'))
    .every(
      (statement) =>
        JSON.stringify(statement.Condition) === JSON.stringify({ StringEquals: { 'cloudwatch:namespace': NAMESPACE } }),
    );

const onlyActions = (statements: Statement[]) =>
  [
    ...new Set(
      actionsOf(statements)
        .map(String)
        .filter((action) => !action.startsWith('logs:') && !action.startsWith('xray:')),
    ),
  ].sort();

/** Checks the alarms, their topic's subscriber and the roles that feed them. */
export function checkAlarms({ ofType, statementsOf }: PackagedTemplate, catalog: Catalog, check: Check): void {
  const alarms = ofType('AWS::CloudWatch::Alarm');
  const named = (id: string) => alarms.find(([logicalId]) => logicalId === id)?.[1].Properties;
  const failureRate = named('ReleaseFailureRateAlarm');
  check(
    failureRate?.Threshold === 20 &&
      JSON.stringify(failureRate.Metrics).includes('ExecutionsFailed') &&
      JSON.stringify(failureRate.Metrics).includes('"Period":3600'),
    'the release failure-rate alarm: over 20 % of an hour’s release executions (AWS/States)',
  );
  const longRun = named('LongRunningReleaseAlarm');
  check(
    longRun?.MetricName === 'OldestRunningReleaseSeconds' && longRun.Threshold === 1800,
    'the long-running-release alarm: the oldest running release over 1800 s',
  );
  const optedIn = Object.entries(catalog.services).flatMap(([service, { environments }]) =>
    Object.entries(environments).flatMap(([environment, target]) =>
      target.alarms ? [{ service, environment, hours: target.alarms.staleAfterHours }] : [],
    ),
  );
  const stale = alarms.filter(([, alarm]) => alarm.Properties.MetricName === 'ReleasesSucceeded');
  check(
    stale.length === optedIn.length &&
      optedIn.every(({ service, environment, hours }) =>
        stale.some(
          ([, alarm]) =>
            JSON.stringify(alarm.Properties.Dimensions).includes(`"Value":"${service}"`) &&
            JSON.stringify(alarm.Properties.Dimensions).includes(`"Value":"${environment}"`) &&
            alarm.Properties.EvaluationPeriods === hours &&
            alarm.Properties.TreatMissingData === 'breaching',
        ),
      ),
    `one stale-release alarm per opted-in catalog target (${optedIn.map((t) => `${t.service}/${t.environment}`).join(', ') || 'none'})`,
  );
  check(
    alarms.every(([, alarm]) => JSON.stringify(alarm.Properties.AlarmActions ?? []).includes('ReleaseAlarmTopic')),
    'every alarm notifies the alarm topic',
  );
  const subscription = ofType('AWS::SNS::Subscription').find(([, found]) =>
    JSON.stringify(found.Properties).includes('AlarmNotifyLambdaFunction'),
  )?.[1].Properties;
  check(
    subscription?.Protocol === 'lambda' && JSON.stringify(subscription.TopicArn).includes('ReleaseAlarmTopic'),
    'alarmNotify is subscribed to the alarm topic',
  );

  const watch = statementsOf('ReleaseWatchLambdaFunction');
  check(
    JSON.stringify(onlyActions(watch)) === JSON.stringify(['cloudwatch:PutMetricData', 'states:ListExecutions']),
    `the releaseWatch role allows only cloudwatch:PutMetricData and states:ListExecutions (${onlyActions(watch).join(', ')})`,
  );
  const notify = statementsOf('AlarmNotifyLambdaFunction');
  check(
    JSON.stringify(onlyActions(notify)) ===
      JSON.stringify(['kms:Decrypt', 'ssm:GetParameter', 'states:ListExecutions']),
    `the alarmNotify role allows only ssm:GetParameter, kms:Decrypt and states:ListExecutions (${onlyActions(notify).join(', ')})`,
  );
  for (const [name, statements] of [
    ['releaseWatch', watch],
    ['alarmNotify', notify],
  ] as const) {
    const listing = statements.filter((statement) => allows(statement, 'states:ListExecutions'));
    check(
      listing.length > 0 &&
        listing.every((statement) => {
          const resource = JSON.stringify(statement.Resource);
          return resource.includes(':stateMachine:') && resource.includes('-release') && !resource.includes('"*"');
        }),
      `the ${name} role lists the release state machine's executions only`,
    );
  }
  const finish = statementsOf('FinishLambdaFunction');
  check(
    putsOnlyInNamespace(watch) && putsOnlyInNamespace(finish) && actionsOf(finish).includes('cloudwatch:PutMetricData'),
    `releaseWatch and finish put metrics in the ${NAMESPACE} namespace only (cloudwatch:namespace condition)`,
  );
}
