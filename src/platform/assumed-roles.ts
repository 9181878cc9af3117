import { AssumeRoleCommand, type Credentials, STSClient } from '@aws-sdk/client-sts';
import { TargetAccessError, TransientError } from './errors.ts';
import type { AwsClientConfig, Wiring } from './lambda-entry.ts';
import { roleSessionName, type SessionName, type TargetAccess } from './target-access.ts';

// The automation's sessions in its targets' accounts: AssumeRole with the
// release id as the session name, the credentials kept per role and session
// until shortly before they expire (a warm function reuses them across
// invocations), and an SDK client per (role, session, region) built on them.

/** Credentials are renewed this long before they expire, so no call signs with credentials about to lapse. */
export const RENEW_BEFORE_MS = 5 * 60_000;
/** Clients kept per function instance; the oldest goes first. */
const MAX_CLIENTS = 256;
/** The session's length: an hour, the role's default MaxSessionDuration. */
export const SESSION_SECONDS = 3600;

interface SessionCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  expiration: Date;
}

/** What AssumeRole errors mean for a release: throttling is worth retrying, anything else names the role and why. */
const TRANSIENT = new Set([
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'InternalFailure',
]);

export interface RoleSessionsOptions {
  sts: STSClient;
  now?: () => Date;
}

/** AssumeRole, remembered per role, external id and session until RENEW_BEFORE_MS before expiry. */
export class RoleSessions {
  readonly #sts: STSClient;
  readonly #now: () => Date;
  readonly #sessions = new Map<string, Promise<SessionCredentials>>();

  constructor({ sts, now = () => new Date() }: RoleSessionsOptions) {
    this.#sts = sts;
    this.#now = now;
  }

  /** Credentials for `roleArn` in session `who`; throws TargetAccessError naming the role and STS's reason. */
  async credentials(
    access: Required<Pick<TargetAccess, 'roleArn'>> & Pick<TargetAccess, 'externalId'>,
    who: SessionName,
  ): Promise<SessionCredentials> {
    const sessionName = roleSessionName(who);
    const key = `${access.roleArn}\n${access.externalId ?? ''}\n${sessionName}`;
    const held = this.#sessions.get(key);
    if (held !== undefined) {
      const session = await held.catch(() => undefined);
      if (session !== undefined && session.expiration.getTime() - RENEW_BEFORE_MS > this.#now().getTime()) {
        return session;
      }
    }
    const pending = this.#assume(access.roleArn, access.externalId, sessionName);
    this.#sessions.set(key, pending);
    pending.catch(() => this.#sessions.delete(key));
    this.#forgetExpired();
    return pending;
  }

  async #assume(roleArn: string, externalId: string | undefined, sessionName: string): Promise<SessionCredentials> {
    let answer: Credentials | undefined;
    try {
      ({ Credentials: answer } = await this.#sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: sessionName,
          DurationSeconds: SESSION_SECONDS,
          ...(externalId === undefined ? {} : { ExternalId: externalId }),
        }),
      ));
    } catch (error) {
      const name = (error as { name?: unknown }).name;
      const reason = `${typeof name === 'string' ? `${name}: ` : ''}${error instanceof Error ? error.message : String(error)}`;
      if (typeof name === 'string' && TRANSIENT.has(name)) {
        throw new TransientError(`assuming ${roleArn} was throttled: ${reason}`, { cause: error });
      }
      throw new TargetAccessError(`cannot assume role ${roleArn}: ${reason}`, { cause: error });
    }
    const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = answer ?? {};
    if (!AccessKeyId || !SecretAccessKey || !SessionToken || Expiration === undefined) {
      throw new TargetAccessError(`cannot assume role ${roleArn}: STS answered without credentials`);
    }
    return { AccessKeyId, SecretAccessKey, SessionToken, expiration: new Date(Expiration) };
  }

  #forgetExpired(): void {
    const now = this.#now().getTime();
    for (const [key, pending] of this.#sessions) {
      pending.then(
        (session) => {
          if (session.expiration.getTime() <= now && this.#sessions.get(key) === pending) this.#sessions.delete(key);
        },
        () => undefined,
      );
    }
  }
}

/**
 * SDK clients for a target's account and region: the automation's own credentials where the target
 * names no role, else the role's session for `who`. One client per (role, external id, session, region),
 * kept while the function is warm; its credentials renew themselves through RoleSessions.
 */
export class TargetClients {
  readonly #base: AwsClientConfig;
  readonly #sessions: RoleSessions;
  readonly #clients = new Map<string, unknown>();

  constructor(base: AwsClientConfig, sessions: RoleSessions) {
    this.#base = base;
    this.#sessions = sessions;
  }

  /** The client config for `access` in session `who`. */
  config(access: TargetAccess | undefined, who: SessionName): AwsClientConfig {
    if (access === undefined) return this.#base;
    const { roleArn } = access;
    if (roleArn === undefined) return { ...this.#base, region: access.region };
    const sessions = this.#sessions;
    const externalId = access.externalId;
    return {
      ...this.#base,
      region: access.region,
      credentials: async () => {
        const session = await sessions.credentials(
          { roleArn, ...(externalId === undefined ? {} : { externalId }) },
          who,
        );
        return {
          accessKeyId: session.AccessKeyId,
          secretAccessKey: session.SecretAccessKey,
          sessionToken: session.SessionToken,
          expiration: session.expiration,
        };
      },
    };
  }

  /**
   * A client of `kind` for `access` in session `who`, built once and kept. A kind names one SDK client
   * class (`ecs` is always an ECSClient): the functions of one wiring share these, whoever asks.
   */
  client<C>(
    kind: string,
    build: (config: AwsClientConfig) => C,
    access: TargetAccess | undefined,
    who: SessionName,
  ): C {
    const key =
      access === undefined
        ? `${kind}\nhome`
        : `${kind}\n${access.region}\n${access.roleArn ?? ''}\n${access.externalId ?? ''}\n${access.roleArn === undefined ? '' : roleSessionName(who)}`;
    let client = this.#clients.get(key) as C | undefined;
    if (client === undefined) {
      client = build(this.config(access, who));
      this.#clients.set(key, client);
      // A warm function serves many releases, each its own session: keep the latest few hundred clients.
      if (this.#clients.size > MAX_CLIENTS) this.#clients.delete(this.#clients.keys().next().value as string);
    }
    return client;
  }

  /** Assumes `access`'s role now (nothing to do without one): Plan's check that the target can be reached. */
  async check(access: TargetAccess, who: SessionName): Promise<void> {
    if (access.roleArn === undefined) return;
    await this.#sessions.credentials(
      { roleArn: access.roleArn, ...(access.externalId === undefined ? {} : { externalId: access.externalId }) },
      who,
    );
  }
}

const wired = new WeakMap<Wiring, TargetClients>();

/** The target clients of a function's wiring: STS from the automation's own config, one set per wiring (its sessions shared). */
export function wiredTargetClients(wiring: Wiring): TargetClients {
  let clients = wired.get(wiring);
  if (clients === undefined) {
    clients = new TargetClients(wiring.aws, new RoleSessions({ sts: new STSClient(wiring.aws) }));
    wired.set(wiring, clients);
  }
  return clients;
}
