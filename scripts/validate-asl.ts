// Validates every ASL file in state-machines/ with asl-validator (structure,
// JSONPaths, ARNs) after resolving the serverless `Fn::GetAtt`s, then checks
// each Lambda Task state against its step's contract (functions/steps.ts): the
// Parameters give exactly what the step's input schema takes, and later states
// read only keys its output has.
import { readdirSync } from 'node:fs';
import validator from 'asl-validator';
import { stepsByFunction } from '../functions/steps.ts';
import { contractProblems, loadDefinition, stateMachinesDir } from '../src/platform/index.ts';

let failed = false;
const files = readdirSync(stateMachinesDir).filter((file) => file.endsWith('.asl.yml'));
for (const file of files) {
  const name = file.replace(/\.asl\.yml$/, '');
  const definition = loadDefinition(name);
  const { isValid, errors } = validator(definition, { checkPaths: true, checkArn: true });
  const problems = contractProblems(file, definition, stepsByFunction);
  if (isValid && problems.length === 0) {
    console.log(`ok      state-machines/${file} (ASL and step contracts)`);
    continue;
  }
  failed = true;
  console.error(`INVALID state-machines/${file}`);
  for (const error of errors) console.error(`  - ${error['Error code']}: ${error.Message}`);
  for (const problem of problems) console.error(`  - ${problem}`);
}
if (files.length === 0) {
  console.error('no state machines found in state-machines/');
  failed = true;
}
process.exit(failed ? 1 : 0);
