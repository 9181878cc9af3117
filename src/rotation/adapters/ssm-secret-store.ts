import {
  DeleteParameterCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  LabelParameterVersionCommand,
  ParameterNotFound,
  ParameterVersionLabelLimitExceeded,
  PutParameterCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { awsCall } from '../../platform/aws-errors.ts';
import { redacted } from '../../platform/redact.ts';
import { RotationStateError } from '../errors.ts';
import type { ParameterVersion, SecretStore, VersionSelector } from '../ports/secret-store.ts';

// GetParameterHistory's page size limit.
const HISTORY_PAGE = 50;

const isNotFound = (error: unknown) =>
  error instanceof ParameterNotFound ||
  (error instanceof Error && (error.name === 'ParameterNotFound' || error.name === 'ParameterVersionNotFound'));

/** The secret store over SSM Parameter Store (an SDK v3 client created once per cold start by the caller). */
export function createSsmSecretStore(client: SSMClient): SecretStore {
  return {
    async read(name, selector?: VersionSelector) {
      // SSM's selector syntax: name:label or name:version.
      const suffix = selector === undefined ? '' : `:${'label' in selector ? selector.label : selector.version}`;
      try {
        const { Parameter } = await awsCall('SSM GetParameter', () =>
          client.send(new GetParameterCommand({ Name: `${name}${suffix}`, WithDecryption: true })),
        );
        if (Parameter?.Value === undefined || Parameter.Version === undefined) return undefined;
        return { value: Parameter.Value, version: Parameter.Version };
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },

    async write(name, value, { keyId } = {}) {
      try {
        const { Version } = await awsCall('SSM PutParameter', () =>
          client.send(
            new PutParameterCommand({
              Name: name,
              Value: value,
              Type: 'SecureString',
              Overwrite: true,
              // Without it SSM encrypts every new version, an overwrite too, under aws/ssm.
              ...(keyId === undefined ? {} : { KeyId: keyId }),
            }),
          ),
        );
        if (Version === undefined) throw new RotationStateError(`SSM PutParameter of ${name} returned no version`);
        return Version;
      } catch (error) {
        // A validation error may quote the value it refused.
        throw redacted(error, value);
      }
    },

    async history(name) {
      const versions: ParameterVersion[] = [];
      let NextToken: string | undefined;
      try {
        do {
          const page = await awsCall('SSM GetParameterHistory', () =>
            // Without decryption: history is metadata here, never values.
            client.send(new GetParameterHistoryCommand({ Name: name, MaxResults: HISTORY_PAGE, NextToken })),
          );
          for (const entry of page.Parameters ?? []) {
            if (entry.Version === undefined) continue;
            versions.push({
              version: entry.Version,
              labels: entry.Labels ?? [],
              ...(entry.LastModifiedDate ? { lastModified: entry.LastModifiedDate } : {}),
              ...(entry.KeyId ? { keyId: entry.KeyId } : {}),
            });
          }
          NextToken = page.NextToken;
        } while (NextToken);
      } catch (error) {
        if (isNotFound(error)) return [];
        throw error;
      }
      return versions.sort((a, b) => a.version - b.version);
    },

    async label(name, version, label) {
      const { InvalidLabels } = await awsCall('SSM LabelParameterVersion', () =>
        client.send(new LabelParameterVersionCommand({ Name: name, ParameterVersion: version, Labels: [label] })),
      ).catch((error: unknown) => {
        if (error instanceof ParameterVersionLabelLimitExceeded) {
          throw new RotationStateError(`version ${version} of ${name} already carries 10 labels`, { cause: error });
        }
        throw error;
      });
      if (InvalidLabels?.length) throw new RotationStateError(`SSM refused the label ${label} on ${name}`);
    },

    async remove(name) {
      try {
        await awsCall('SSM DeleteParameter', () => client.send(new DeleteParameterCommand({ Name: name })));
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
  };
}
