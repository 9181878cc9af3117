import { DescribeParametersCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { ParameterNamesPort } from '../ports.ts';

// DescribeParameters: metadata only, so the doctor never holds a secret's value
// (GetParameters would return it, encrypted or not). A Name filter takes 50 values.
const NAMES_PER_FILTER = 50;

/** Which parameters exist, by DescribeParameters with a Name filter, every page read. */
export function createSsmParameterNames(client: SSMClient): ParameterNamesPort {
  return {
    async existing(names) {
      const found = new Set<string>();
      for (let start = 0; start < names.length; start += NAMES_PER_FILTER) {
        const values = names.slice(start, start + NAMES_PER_FILTER);
        let nextToken: string | undefined;
        do {
          const page = await client.send(
            new DescribeParametersCommand({
              ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: values }],
              MaxResults: 50,
              NextToken: nextToken,
            }),
          );
          for (const parameter of page.Parameters ?? []) if (parameter.Name) found.add(parameter.Name);
          nextToken = page.NextToken;
        } while (nextToken);
      }
      return found;
    },
  };
}
