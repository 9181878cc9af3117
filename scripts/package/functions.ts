// Each function as deployed: its runtime, a role of its own, and a reserved
// share of concurrency when anyone on the internet can call it.
import type { Check, PackagedTemplate } from './template.ts';

/** Checks every serverless.yml function is packaged on nodejs24.x with its own role, public ones with reserved concurrency. */
export function checkFunctions({ ofType, lambdas }: PackagedTemplate, functionKeys: string[], check: Check): void {
  const roles = new Set<string>();
  for (const key of functionKeys) {
    const found = lambdas.find(([id]) => id.toLowerCase() === `${key}LambdaFunction`.toLowerCase());
    // serverless-iam-roles-per-function gives each function `<Fn>IamRoleLambdaExecution`;
    // the shared default role is `IamRoleLambdaExecution`.
    const role = JSON.stringify(found?.[1].Properties.Role ?? '');
    const shared = role.includes('"IamRoleLambdaExecution"');
    const runtime = found?.[1].Properties.Runtime;
    check(found !== undefined && runtime === 'nodejs24.x', `function ${key} (${runtime})`);
    check(found !== undefined && !shared && !roles.has(role), `function ${key} has its own role`);
    roles.add(role);
  }
  check(
    !ofType('AWS::IAM::Role').some(([id]) => id === 'IamRoleLambdaExecution'),
    'no shared Lambda role is left in the template',
  );

  // A public function URL takes anyone's requests: a flood of forged ones must
  // not use the concurrency rollback needs.
  for (const [urlId, url] of ofType('AWS::Lambda::Url').filter(([, url]) => url.Properties.AuthType === 'NONE')) {
    const functionId = JSON.stringify(url.Properties.TargetFunctionArn).match(/"(\w+LambdaFunction)"/)?.[1];
    const reserved = lambdas.find(([id]) => id === functionId)?.[1].Properties.ReservedConcurrentExecutions;
    check(
      Number.isInteger(reserved) && Number(reserved) > 0,
      `${functionId ?? urlId} (public URL) has reserved concurrency (${reserved})`,
    );
  }
}
