import { randomInt } from 'node:crypto';
import { AwsApiError } from '../aws/service.ts';
import { parsePolicy } from './policy.ts';
import { checkText, constraintError } from './wire.ts';

// IAM's roles, per account (IAM has no region): enough for a role to exist,
// to say whom it trusts (its assume-role policy) and for how long its sessions
// last. Names are unique per account whatever their case, as IAM's are.

/** A role as IAM keeps it. */
export interface Role {
  accountId: string;
  path: string;
  roleName: string;
  /** `AROA…`: the id an assumed-role session's UserId starts with. */
  roleId: string;
  /** `arn:aws:iam::<account>:role<path><name>`. */
  arn: string;
  createDate: Date;
  /** The trust policy, as JSON text. */
  assumeRolePolicyDocument: string;
  description?: string;
  /** Seconds, 3600–43200; default 3600. */
  maxSessionDuration: number;
}

/** What CreateRole takes. */
export interface RoleInput {
  roleName: string;
  assumeRolePolicyDocument: string;
  path?: string;
  description?: string;
  maxSessionDuration?: number;
}

const ROLE_NAME = /[\w+=,.@-]+/;
const PATH = /(\u002F)|(\u002F[\u0021-\u007E]+\u002F)/;
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/;
const ID_CHARACTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Uppercase letters and digits, as IAM's unique ids and access key ids are made of. */
export const randomId = (prefix: string, length: number): string =>
  prefix + Array.from({ length }, () => ID_CHARACTERS[randomInt(ID_CHARACTERS.length)]).join('');

/** Every account's roles. */
export class IamRoles {
  readonly #byAccount = new Map<string, Map<string, Role>>();

  #roles(accountId: string): Map<string, Role> {
    let roles = this.#byAccount.get(accountId);
    if (!roles) {
      roles = new Map();
      this.#byAccount.set(accountId, roles);
    }
    return roles;
  }

  /** Creates a role in `accountId`, or throws IAM's error (EntityAlreadyExists, MalformedPolicyDocument, ValidationError). */
  create(accountId: string, input: RoleInput): Role {
    checkText('roleName', input.roleName, 1, 64, ROLE_NAME);
    const path = input.path ?? '/';
    checkText('path', path, 1, 512, PATH);
    checkText('assumeRolePolicyDocument', input.assumeRolePolicyDocument, 1, 131072);
    if (input.description !== undefined) checkText('description', input.description, 0, 1000);
    const maxSessionDuration = input.maxSessionDuration ?? 3600;
    if (maxSessionDuration < 3600 || maxSessionDuration > 43200) {
      const bound = maxSessionDuration < 3600 ? 'greater than or equal to 3600' : 'less than or equal to 43200';
      throw constraintError('maxSessionDuration', maxSessionDuration, `Member must have value ${bound}`);
    }
    parsePolicy(input.assumeRolePolicyDocument);
    const roles = this.#roles(accountId);
    const key = input.roleName.toLowerCase();
    if (roles.has(key)) {
      throw new AwsApiError('EntityAlreadyExistsException', `Role with name ${input.roleName} already exists.`, 409);
    }
    const role: Role = {
      accountId,
      path,
      roleName: input.roleName,
      roleId: randomId('AROA', 17),
      arn: `arn:aws:iam::${accountId}:role${path}${input.roleName}`,
      createDate: new Date(),
      assumeRolePolicyDocument: input.assumeRolePolicyDocument,
      ...(input.description === undefined ? {} : { description: input.description }),
      maxSessionDuration,
    };
    roles.set(key, role);
    return role;
  }

  find(accountId: string, roleName: string): Role | undefined {
    return this.#byAccount.get(accountId)?.get(roleName.toLowerCase());
  }

  /** The role, or IAM's NoSuchEntity. */
  get(accountId: string, roleName: string): Role {
    const role = this.find(accountId, roleName);
    if (!role) throw new AwsApiError('NoSuchEntityException', `The role with name ${roleName} cannot be found.`, 404);
    return role;
  }

  /** The role an ARN names (`arn:aws:iam::<account>:role/<path><name>`), if it exists. */
  findByArn(arn: string): Role | undefined {
    const match = ROLE_ARN.exec(arn);
    if (!match) return undefined;
    const [, accountId = '', roleName = ''] = match;
    const role = this.find(accountId, roleName);
    return role?.arn === arn ? role : undefined;
  }

  delete(accountId: string, roleName: string): void {
    const role = this.get(accountId, roleName);
    this.#byAccount.get(accountId)?.delete(role.roleName.toLowerCase());
  }

  /** An account's roles whose path starts with `pathPrefix`, by name. */
  list(accountId: string, pathPrefix = '/'): Role[] {
    return [...(this.#byAccount.get(accountId)?.values() ?? [])]
      .filter((role) => role.path.startsWith(pathPrefix))
      .sort((a, b) => a.roleName.localeCompare(b.roleName));
  }
}
