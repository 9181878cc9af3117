// SSM Parameter Store over JSON 1.1 (`AmazonSSM`): what the functions, the
// Powertools parameters utility and `aws ssm` call.
import type { AwsLocation } from '../aws/location.ts';
import { type OperationTable, TableEmulator } from '../aws/operation-table.ts';
import { describeParameters } from './describe-parameters.ts';
import type { ParameterStore } from './parameter-store.ts';
import { getParameter, getParameterHistory, getParameters, getParametersByPath } from './read-operations.ts';
import type { SsmModel } from './views.ts';
import { SSM_WIRE } from './wire.ts';
import {
  deleteParameter,
  deleteParameters,
  labelParameterVersion,
  putParameter,
  unlabelParameterVersion,
} from './write-operations.ts';

/** The SSM operations the sandbox implements (sandbox/ssm/README.md lists them). */
export const SSM_OPERATIONS: OperationTable<SsmModel> = {
  PutParameter: putParameter,
  GetParameter: getParameter,
  GetParameters: getParameters,
  GetParametersByPath: getParametersByPath,
  GetParameterHistory: getParameterHistory,
  DescribeParameters: describeParameters,
  LabelParameterVersion: labelParameterVersion,
  UnlabelParameterVersion: unlabelParameterVersion,
  DeleteParameter: deleteParameter,
  DeleteParameters: deleteParameters,
};

export interface SsmEmulatorOptions extends AwsLocation {
  store: ParameterStore;
}

/** The SSM Parameter Store API over a store. */
export function createSsmEmulator({ store, region, accountId }: SsmEmulatorOptions): TableEmulator<SsmModel> {
  return new TableEmulator(SSM_WIRE, SSM_OPERATIONS, { store, location: { region, accountId } });
}
