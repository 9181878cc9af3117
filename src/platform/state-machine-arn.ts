/**
 * A state machine's ARN in the account and region of the calling function
 * (from its context's invokedFunctionArn): serverless.yml names it, and an ARN
 * built by CloudFormation in the function's environment would tie the function
 * to the state machine's stack resource.
 */
export function stateMachineArn(invokedFunctionArn: string, stateMachineName: string): string {
  const [, partition, , region, account] = invokedFunctionArn.split(':');
  if (!partition || !region || !account) throw new Error(`not a function ARN: ${invokedFunctionArn}`);
  return `arn:${partition}:states:${region}:${account}:stateMachine:${stateMachineName}`;
}
