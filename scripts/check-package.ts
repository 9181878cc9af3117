// After `serverless package`: checks the CloudFormation template has what the
// release pipeline needs: the state machines and the rules and schedules that
// start them, safe to lose an event on (scripts/package/triggers.ts); every
// function on its runtime with its own role (functions.ts) allowed what its step
// needs and no more (permissions.ts, scan-gate.ts); the push reconciler's schedule and role (reconciler.ts); record tables that outlive the stack (tables.ts);
// the waits on ECS's events: their roles, rule, schedule and table (waits.ts); the seeds' alarms and the roles that feed them (alarms.ts);
// the catalog's deployment roles and accounts, never "*" (accounts.ts).

import { runtimeCatalog } from '#catalog';
import { readServerlessConfig } from '../sandbox/serverless-config.ts';
import { checkAccounts } from './package/accounts.ts';
import { checkAlarms } from './package/alarms.ts';
import { checkFunctions } from './package/functions.ts';
import { checkPermissions } from './package/permissions.ts';
import { checkReconciler } from './package/reconciler.ts';
import { checkScanGate } from './package/scan-gate.ts';
import { checkTables } from './package/tables.ts';
import { printingCheck, readPackagedTemplate } from './package/template.ts';
import { checkTriggers } from './package/triggers.ts';
import { checkWaits } from './package/waits.ts';

const template = readPackagedTemplate();
const catalog = runtimeCatalog(process.env);
const { functions } = await readServerlessConfig();
const problems: string[] = [];
const check = printingCheck(problems);

checkTriggers(template, catalog, check);
checkFunctions(template, Object.keys(functions), check);
checkPermissions(template, catalog, check);
checkScanGate(template, catalog, check);
checkReconciler(template, catalog, check);
checkTables(template, check);
checkWaits(template, check);
checkAlarms(template, catalog, check);
checkAccounts(template, catalog, check);

if (problems.length > 0) {
  console.error(`\n${problems.length} problem(s) in the packaged template`);
  process.exit(1);
}
