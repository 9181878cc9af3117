// The packaged CloudFormation template as the package checks read it, and the
// one way they report: each check prints ok or FAIL and remembers what failed.
import { readFileSync } from 'node:fs';

/** One resource of the template, as far as the checks look into it. */
export type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};

/** An IAM policy statement of a role in the template. */
export type Statement = { Action: unknown; Resource?: unknown; Condition?: unknown };

/** The template `serverless package` wrote, with the lookups every check uses. */
export type PackagedTemplate = ReturnType<typeof readPackagedTemplate>;

/** Reads `.serverless/`'s template and gives its resources by type and its roles' statements. */
export function readPackagedTemplate(path = '.serverless/cloudformation-template-update-stack.json') {
  const template = JSON.parse(readFileSync(path, 'utf8')) as { Resources: Record<string, Resource> };
  const resources = Object.entries(template.Resources);
  const ofType = (type: string) => resources.filter(([, resource]) => resource.Type === type);
  const policyStatements = (role: Resource): Statement[] =>
    ((role.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
      (policy) => policy.PolicyDocument.Statement,
    );
  const lambdas = ofType('AWS::Lambda::Function');
  return {
    resources: template.Resources,
    ofType,
    lambdas,
    /** Every statement of every role in the template. */
    statements: ofType('AWS::IAM::Role').flatMap(([, role]) => policyStatements(role)),
    /** The statements of a function's own role. */
    statementsOf: (functionId: string): Statement[] => {
      const role = JSON.stringify(lambdas.find(([id]) => id === functionId)?.[1].Properties.Role ?? '');
      return ofType('AWS::IAM::Role')
        .filter(([id]) => role.includes(`"${id}"`))
        .flatMap(([, found]) => policyStatements(found));
    },
  };
}

/** The actions the statements allow, one list. */
export const actionsOf = (statements: Statement[]) => statements.flatMap((statement) => [statement.Action].flat());

/** Whether a statement allows the action. */
export const allows = (statement: Statement, action: string) => [statement.Action].flat().includes(action);

/** Prints one check's outcome; what failed is kept for the summary. */
export type Check = (ok: boolean, what: string) => void;

/** A check that prints each outcome and collects the failures into `problems`. */
export function printingCheck(problems: string[]): Check {
  return (ok, what) => {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (!ok) problems.push(what);
  };
}
