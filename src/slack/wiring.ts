// The slack feature's wiring entry: its real adapters, built from a function's wiring. Carries SDKs:
// for handlers, the sandbox and other features' adapters, never a feature's core.
export { commandEndpoint } from './adapters/command-endpoint.ts';
export { wiredCommandPorts } from './adapters/command-wiring.ts';
export type { SlackAppAnswer } from './adapters/signed-request.ts';
export { buttonClickBody, sendSignedSlackRequest, signSlackBody, slashCommandBody } from './adapters/signed-request.ts';
export type { SlackEvent } from './adapters/slack-request.ts';
export { logRequestError, slackRequest } from './adapters/slack-request.ts';
export { wiredApprovals, wiredApprovalWithdrawal, wiredChat, wiredNotifier } from './adapters/wiring.ts';
