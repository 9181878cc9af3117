import type { AwsLocation } from './location.ts';
import type { CredentialScope } from './sigv4.ts';

// Who sent a request, and to which account and region, as LocalStack reads
// them: an access key id of twelve digits acts as that account, keys the
// sandbox's STS issued act as the account of their role, any other key as the
// sandbox's own account; the region is the one the request was signed for.
// Unsigned requests, and the sandbox's own calls, act in its home location.

/** The principal a request acts as, in the shapes GetCallerIdentity returns. */
export interface Caller {
  accountId: string;
  /** `arn:aws:iam::<account>:root`, or `arn:aws:sts::<account>:assumed-role/<role>/<session>`. */
  arn: string;
  /** The account id for a root caller, `<role id>:<session>` for an assumed role. */
  userId: string;
  /** For an assumed role's session: the role's ARN, which trust policies name. */
  roleArn?: string;
}

/** What an emulator knows of the request it serves. */
export interface RequestContext {
  /** The account and region whose resources the request acts on. */
  location: AwsLocation;
  caller: Caller;
}

/**
 * The caller of keys the sandbox issued itself (STS's temporary credentials);
 * undefined for any other key. Throws the AWS error for an expired or forged session.
 */
export type SessionLookup = (accessKeyId: string, sessionToken: string | undefined) => Caller | undefined;

const ACCOUNT_ID = /^\d{12}$/;

/** The account root, the caller of a plain access key. */
export const rootCaller = (accountId: string): Caller => ({
  accountId,
  arn: `arn:aws:iam::${accountId}:root`,
  userId: accountId,
});

/** The context of a request signed with `scope` (none: unsigned), in a sandbox at `home`. */
export function requestContext(
  scope: CredentialScope | undefined,
  home: AwsLocation,
  options: { sessionToken?: string; sessions?: SessionLookup } = {},
): RequestContext {
  if (!scope) return rootContext(home);
  const key = scope.accessKeyId;
  const caller =
    options.sessions?.(key, options.sessionToken) ?? rootCaller(ACCOUNT_ID.test(key) ? key : home.accountId);
  return { location: { accountId: caller.accountId, region: scope.region || home.region }, caller };
}

/** The account root acting in `location`: the sandbox's own calls, and unsigned requests (in its home). */
export const rootContext = (location: AwsLocation): RequestContext => ({
  location: { accountId: location.accountId, region: location.region },
  caller: rootCaller(location.accountId),
});
