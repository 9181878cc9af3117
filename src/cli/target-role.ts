import { Document, visit } from 'yaml';
import { type Catalog, targetRoleAccount, targetRoleTemplate } from '../catalog/index.ts';
import type { Target } from './target.ts';

export const targetRoleUsage = `Usage: release target-role [--account <id>] [--json] [--stage <stage>] [--region <region>]

Prints the CloudFormation template (YAML; --json for JSON) a target account
deploys so that the automation may release there: the deployment role the
catalog's roleArn names, allowed exactly the ECS, CloudWatch and ECR actions the
functions call on the catalog's services and repositories in that account, and
trusting only the automation's functions that call them; and the rules
forwarding the services' ECS events (and, in a registry account, the pushes)
to the automation's event bus. Reads the catalog only: no AWS call.

  --account <id>     the account (default: the only one the catalog names)
  --stage, --region  the automation's stage and region: the defaults of the
                     template's AutomationPrefix and AutomationRegion

  npx release target-role --account 222222222222 > role.yml
  aws cloudformation deploy --template-file role.yml --stack-name release-automation-deploy \\
    --capabilities CAPABILITY_NAMED_IAM --parameter-overrides AutomationAccount=<automation's account>`;

/** `release target-role`: the template for `account` (or the catalog's only other one), as YAML with each statement's reason, or JSON. */
export function targetRole(
  catalog: Catalog,
  target: Pick<Target, 'stage' | 'region'>,
  options: { account?: string | undefined; json: boolean },
): string {
  const account = targetRoleAccount(catalog, options.account);
  const { template, why } = targetRoleTemplate(catalog, account, {
    region: target.region,
    prefix: `release-automation-${target.stage}`,
  });
  if (options.json) return JSON.stringify(template, null, 2);
  // YAML 1.1, as CloudFormation reads it: a date-like "2012-10-17" stays quoted, a string. No aliases.
  const document = new Document(template, { version: '1.1', aliasDuplicateObjects: false });
  visit(document, {
    Map(_, node) {
      const sid = node.get('Sid');
      if (typeof sid === 'string' && why[sid]) node.commentBefore = ` ${why[sid]}`;
    },
  });
  document.commentBefore = ` npx release target-role --account ${account}: deploy with CAPABILITY_NAMED_IAM (README, "Many accounts and regions")`;
  return document.toString({ lineWidth: 0 }).trimEnd();
}
