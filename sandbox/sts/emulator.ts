import type { AwsLocation } from '../aws/location.ts';
import { type OperationTable, TableEmulator } from '../aws/operation-table.ts';
import { AwsApiError } from '../aws/service.ts';
import type { IamRoles } from '../iam/roles.ts';
import { checkText } from '../iam/wire.ts';
import type { StsSessions } from './sessions.ts';
import { trusts } from './trust.ts';
import { STS_WIRE } from './wire.ts';

// STS (Query protocol, signing name `sts`): who the caller is, and temporary
// credentials for a role of the sandbox's IAM that trusts the caller. Requests
// signed with those credentials act in the role's account (sessions.ts).

/** What STS's operations act on: the roles to assume and the sessions issued. */
export interface StsModel {
  roles: IamRoles;
  sessions: StsSessions;
}

const SESSION_NAME = /[\w+=,.@-]*/;
const EXTERNAL_ID = /[\w+=,.@:/-]*/;
/** A role session lasts an hour unless asked otherwise; a chained one at most an hour. */
const DEFAULT_DURATION = 3600;
const CHAINED_MAX = 3600;

/** The STS operations the sandbox implements (sandbox/sts/README.md lists them). */
export const STS_OPERATIONS: OperationTable<StsModel> = {
  GetCallerIdentity: (_model, _reader, { caller }) => ({
    UserId: caller.userId,
    Account: caller.accountId,
    Arn: caller.arn,
  }),
  AssumeRole: ({ roles, sessions }, reader, { caller }) => {
    const roleArn = reader.string('RoleArn');
    checkText('roleArn', roleArn, 20, 2048);
    const sessionName = reader.string('RoleSessionName');
    checkText('roleSessionName', sessionName, 2, 64, SESSION_NAME);
    const duration = reader.optionalInteger('DurationSeconds', 900, 43200);
    const externalId = reader.optionalString('ExternalId');
    if (externalId !== undefined) checkText('externalId', externalId, 2, 1224, EXTERNAL_ID);

    // A missing role and an untrusting one look the same to the caller, as in AWS.
    const role = roles.findByArn(roleArn);
    if (!role || !trusts(role.assumeRolePolicyDocument, { caller, ...(externalId ? { externalId } : {}) })) {
      throw new AwsApiError(
        'AccessDenied',
        `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
        403,
      );
    }
    if (caller.roleArn !== undefined && duration !== undefined && duration > CHAINED_MAX) {
      throw new AwsApiError(
        'ValidationError',
        'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
      );
    }
    if (duration !== undefined && duration > role.maxSessionDuration) {
      throw new AwsApiError(
        'ValidationError',
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      );
    }
    const arn = `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/${sessionName}`;
    const assumedRoleId = `${role.roleId}:${sessionName}`;
    const credentials = sessions.issue(
      { accountId: role.accountId, arn, userId: assumedRoleId, roleArn: role.arn },
      duration ?? DEFAULT_DURATION,
    );
    return { Credentials: credentials, AssumedRoleUser: { AssumedRoleId: assumedRoleId, Arn: arn } };
  },
};

/** The STS API over the sandbox's roles and the sessions it issues. */
export class StsEmulator extends TableEmulator<StsModel> {
  constructor(model: StsModel, home?: AwsLocation) {
    super(STS_WIRE, STS_OPERATIONS, model, home);
  }
}
