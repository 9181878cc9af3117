import { randomBytes } from 'node:crypto';
import type { Caller } from '../aws/request-context.ts';
import { AwsApiError } from '../aws/service.ts';
import { randomId } from '../iam/roles.ts';

// The temporary credentials the sandbox's STS issued: requests signed with
// one act as the role's session, in the role's account, until it expires.
// Keys the sandbox never issued are none of its business (they act as their
// account, or the sandbox's own: request-context.ts).

/** One session's credentials, as AssumeRole returns them. */
export interface IssuedCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: Date;
}

interface Session {
  credentials: IssuedCredentials;
  caller: Caller;
}

/** A session STS issued, as CloudTrail's AssumeRole record names it: never its keys. */
export interface IssuedSession {
  /** The role's ARN. */
  roleArn: string;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session name>`: what the session's calls are made as. */
  arn: string;
  /** The RoleSessionName the caller chose (a release id, for the automation's functions). */
  sessionName: string;
  expiration: Date;
}

export interface StsSessionsOptions {
  /** The sandbox's clock (epoch ms), which expirations are read on; default Date.now. */
  now?: () => number;
}

/** Every session STS issued, by access key id. */
export class StsSessions {
  readonly #sessions = new Map<string, Session>();
  readonly #now: () => number;

  constructor(options: StsSessionsOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** Issues credentials acting as `caller` for `durationSeconds`. */
  issue(caller: Caller, durationSeconds: number): IssuedCredentials {
    // Second-precision, as STS's Expiration is.
    const expiresMs = Math.floor((this.#now() + durationSeconds * 1000) / 1000) * 1000;
    const credentials: IssuedCredentials = {
      AccessKeyId: randomId('ASIA', 16),
      SecretAccessKey: randomBytes(30).toString('base64'),
      SessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(96).toString('base64')}`,
      Expiration: new Date(expiresMs),
    };
    this.#sessions.set(credentials.AccessKeyId, { credentials, caller });
    return credentials;
  }

  /** Every session issued so far, oldest first: who acted as which role, under which session name. */
  issued(): IssuedSession[] {
    return [...this.#sessions.values()].map(({ caller, credentials }) => ({
      roleArn: caller.roleArn ?? '',
      arn: caller.arn,
      sessionName: caller.arn.slice(caller.arn.lastIndexOf('/') + 1),
      expiration: credentials.Expiration,
    }));
  }

  /**
   * The caller of a key STS issued; undefined for any other key. A wrong
   * session token, or an expired session, gets AWS's error.
   */
  readonly lookup = (accessKeyId: string, sessionToken: string | undefined): Caller | undefined => {
    const session = this.#sessions.get(accessKeyId);
    if (!session) return undefined;
    if (sessionToken !== session.credentials.SessionToken) {
      throw new AwsApiError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
    }
    if (this.#now() >= session.credentials.Expiration.getTime()) {
      throw new AwsApiError('ExpiredTokenException', 'The security token included in the request is expired', 400);
    }
    return session.caller;
  };
}
