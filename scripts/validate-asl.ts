// Validates every ASL file in state-machines/ with asl-validator (structure,
// JSONPaths, ARNs) after resolving the serverless `Fn::GetAtt`s.
import { readdirSync } from 'node:fs';
import validator from 'asl-validator';
import { loadDefinition, stateMachinesDir } from '../src/platform/asl-definition.ts';

let failed = false;
const files = readdirSync(stateMachinesDir).filter((file) => file.endsWith('.asl.yml'));
for (const file of files) {
  const name = file.replace(/\.asl\.yml$/, '');
  const { isValid, errors } = validator(loadDefinition(name), { checkPaths: true, checkArn: true });
  if (isValid) {
    console.log(`ok      state-machines/${file}`);
  } else {
    failed = true;
    console.error(`INVALID state-machines/${file}`);
    for (const error of errors) console.error(`  - ${error['Error code']}: ${error.Message}`);
  }
}
if (files.length === 0) {
  console.error('no state machines found in state-machines/');
  failed = true;
}
process.exit(failed ? 1 : 0);
