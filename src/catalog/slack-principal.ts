import * as z from 'zod';

/** A Slack user (`U…`, `W…` on Enterprise Grid) or user group (`S…`) id. */
export const slackPrincipalSchema = z.string().regex(/^[UWS][A-Z0-9]{2,20}$/, {
  message: 'must be a Slack user id (U…, W…) or user group id (S…)',
});
