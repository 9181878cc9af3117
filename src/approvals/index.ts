// The approvals feature's entry: what it offers the rest of the code (model, steps, use cases, ports). No SDK.
// Outside src/approvals/, code imports the feature only through this file and ./wiring.ts.
export { isOneOf, principalsFor } from './authorization.ts';
export type { ApprovalClosePorts } from './close.ts';
export { closeApproval } from './close.ts';
export type { ApprovalDecisionPorts } from './decision.ts';
export { decideApproval } from './decision.ts';
export { APPROVE_ACTION, REJECT_ACTION } from './messages.ts';
export type { ApprovalStore } from './ports/approvals.ts';
export type { ApprovalRequestPorts } from './request.ts';
export { requestApproval } from './request.ts';
export { closeApprovalStep, requestApprovalStep } from './steps.ts';
export type { ApprovalWithdrawPorts } from './withdraw.ts';
export { withdrawApproval } from './withdraw.ts';
