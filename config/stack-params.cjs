'use strict';

// The stack's deployment settings, given as serverless params
// (`--param name=value`, or `params:` per stage in serverless.yml) and checked
// here once, at build time: a bad value stops `serverless package` with its
// name, before CloudFormation sees it. README, "Operations", says what each is for.

// Requests a public function may serve at once (slack-command, github-webhook).
const DEFAULT_PUBLIC_FUNCTION_CONCURRENCY = 10;

// A role in this partition's IAM, by ARN; IAM's wildcards (* and ?) allowed in the name.
const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/*?-]+$/;

class StackParamError extends Error {
  constructor(name, problem) {
    super(`param ${name}: ${problem}`);
    this.name = 'StackParamError';
  }
}

function publicFunctionConcurrency(value) {
  const given = String(value ?? '').trim();
  const text = given === '' ? String(DEFAULT_PUBLIC_FUNCTION_CONCURRENCY) : given;
  const count = Number(text);
  if (!/^\d+$/.test(text) || count < 1) {
    // 0 would refuse every request: Slack and GitHub could not reach the project at all.
    throw new StackParamError('publicFunctionConcurrency', `"${text}" is not a whole number of executions, 1 or more`);
  }
  return count;
}

// The task and execution roles deploy may pass to ECS tasks. None given: any
// role (the documented fallback), still only to ecs-tasks.amazonaws.com.
function passRoleArns(value) {
  const arns = (Array.isArray(value) ? value : String(value ?? '').split(','))
    .map((arn) => String(arn).trim())
    .filter((arn) => arn !== '');
  const invalid = arns.filter((arn) => !ROLE_ARN.test(arn));
  if (invalid.length > 0) {
    throw new StackParamError(
      'passRoleArns',
      `${invalid.map((arn) => `"${arn}"`).join(', ')} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`,
    );
  }
  return arns.length > 0 ? [...new Set(arns)].sort() : '*';
}

/** `${file(./config/stack-params.cjs)}`: the validated params serverless.yml uses. */
module.exports = async ({ resolveVariable }) => ({
  publicFunctionConcurrency: publicFunctionConcurrency(await resolveVariable("param:publicFunctionConcurrency, ''")),
  passRoleArns: passRoleArns(await resolveVariable("param:passRoleArns, ''")),
});
