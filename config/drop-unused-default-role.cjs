'use strict';

// Serverless always compiles the shared Lambda role `IamRoleLambdaExecution`;
// serverless-iam-roles-per-function then gives every function a role of its
// own (before:package:finalize, listed before this one) and leaves the shared one behind, unused but
// deployed, with write access to every function's log group. This removes it
// once nothing in the template refers to it, and leaves it in place when
// something does (a function without iamRoleStatements, say).
const ROLE = 'IamRoleLambdaExecution';

class DropUnusedDefaultRole {
  constructor(serverless) {
    this.hooks = {
      'before:package:finalize': () => {
        const template = serverless.service.provider.compiledCloudFormationTemplate;
        const { [ROLE]: role, ...others } = template.Resources;
        if (role === undefined) return;
        const referenced = JSON.stringify({ ...template, Resources: others }).includes(`"${ROLE}"`);
        if (referenced) return;
        delete template.Resources[ROLE];
        serverless.cli.log(`Left out the unused shared role ${ROLE}: every function has its own.`);
      },
    };
  }
}

module.exports = DropUnusedDefaultRole;
