import { describe, expect, it } from '@jest/globals';
import { stepsByFunction } from '../../functions/steps.ts';
import { readServerlessConfig } from '../../sandbox/serverless-config.ts';
import { contractProblems } from '../../src/platform/asl-contract.ts';
import { loadDefinition } from '../../src/platform/asl-definition.ts';

// The contract check `npm run validate:asl` runs, on the real state machines
// and on copies with one thing changed: each change fails it, naming the
// machine, the state, the step and the key.

type States = Record<string, Record<string, unknown> & { Parameters?: Record<string, unknown> }>;

/** The problems of a copy of `machine` changed by `change`. */
function problemsAfter(machine: 'release' | 'rotation', change: (definition: Record<string, unknown>) => void) {
  const definition = structuredClone(loadDefinition(machine));
  change(definition);
  return contractProblems(`${machine}.asl.yml`, definition, stepsByFunction);
}

const state = (states: States, name: string) => {
  const found = states[name];
  if (found === undefined) throw new Error(`no state ${name}`);
  return found;
};
const parameters = (states: States, name: string) => {
  const found = state(states, name).Parameters;
  if (found === undefined) throw new Error(`state ${name} has no Parameters`);
  return found;
};

const releaseIteration = (definition: Record<string, unknown>) =>
  (state(definition.States as States, 'Releases').ItemProcessor as { States: States }).States;
const rollIteration = (definition: Record<string, unknown>) =>
  (state(definition.States as States, 'Roll').ItemProcessor as { States: States }).States;

describe('the step contracts of the state machines', () => {
  it.each(['release', 'rotation'] as const)('%s.asl.yml keeps every step contract', (machine) => {
    expect(contractProblems(`${machine}.asl.yml`, loadDefinition(machine), stepsByFunction)).toEqual([]);
  });

  it('names every step after a serverless.yml function', async () => {
    const { functions } = await readServerlessConfig();
    expect(Object.keys(stepsByFunction).filter((key) => !(key in functions))).toEqual([]);
  });

  it('fails on a renamed Parameters key, naming the state, the step and the key', () => {
    const problems = problemsAfter('release', (definition) => {
      const deploy = parameters(releaseIteration(definition), 'Deploy');
      deploy['requst.$'] = deploy['request.$'];
      delete deploy['request.$'];
    });
    expect(problems).toEqual([
      'release.asl.yml: state Deploy → step deploy: Parameters key "requst" is not in the step\'s input (expected: request)',
      'release.asl.yml: state Deploy → step deploy: required key "request" is missing from Parameters (expected: request)',
    ]);
  });

  it('fails on a dropped required key, at the top or nested in an object', () => {
    const problems = problemsAfter('release', (definition) => {
      const iteration = releaseIteration(definition);
      delete parameters(iteration, 'FinishFailed')['executionId.$'];
      delete (
        (parameters(iteration, 'CheckRollout').look as Record<string, unknown>).control as Record<string, unknown>
      )['releaseId.$'];
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^release\.asl\.yml: state CheckRollout → step watchRollout: required key "look\.control\.releaseId" is missing from Parameters \(expected: lockKey, releaseId, lease\)$/,
      ),
      expect.stringMatching(
        /^release\.asl\.yml: state FinishFailed → step finish: required key "executionId" is missing from Parameters/,
      ),
    ]);
  });

  it('fails when a later state reads a result key the step does not output', () => {
    const problems = problemsAfter('release', (definition) => {
      const decision = state(releaseIteration(definition), 'ClaimDecision');
      (decision.Choices as { Variable: string }[])[0] = {
        ...(decision.Choices as { Variable: string }[])[0],
        Variable: '$.claim.statuz',
      };
    });
    expect(problems).toEqual([
      'release.asl.yml: state ClaimDecision → step claim: reads "$.claim.statuz", but state Claim puts the step\'s result at $.claim and it has no key "statuz" (expected: status, reason, heldBy, leaseSeconds)',
    ]);
  });

  it('follows a result into its nested keys and through a ResultSelector', () => {
    const problems = problemsAfter('release', (definition) => {
      const iteration = releaseIteration(definition);
      parameters(iteration, 'Advance')['hookId.$'] = '$.stability.hook.id';
      (state(iteration, 'Advance').ResultSelector as Record<string, unknown>)['since.$'] = '$.att';
    });
    expect(problems).toEqual([
      expect.stringContaining(
        'state Advance → step advance: ResultSelector reads "$.att", but the step\'s output has no key "att"',
      ),
      // $.stability is put by CheckRollout (watchRollout's, waitStable's) and AwaitStability (awaitDeployment's callback).
      expect.stringMatching(
        /state Advance → step (waitStable|awaitDeployment|watchRollout): reads "\$\.stability\.hook\.id"/,
      ),
    ]);
  });

  it('checks a literal against the step, and a task-token Payload like Parameters', () => {
    const problems = problemsAfter('release', (definition) => {
      const iteration = releaseIteration(definition);
      parameters(iteration, 'CheckStability').mode = 'deploi';
      (parameters(iteration, 'RequestApproval').Payload as Record<string, unknown>)['token.$'] = '$$.Task.Token';
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /state RequestApproval → step requestApproval: Parameters key "token" is not in the step's input/,
      ),
      expect.stringMatching(
        /state CheckStability → step waitStable: Parameters key "mode" = "deploi" is not what the step takes/,
      ),
    ]);
  });

  it("narrows a discriminated input by its literal: rotateSecret's end needs its ending", () => {
    const problems = problemsAfter('rotation', (definition) => {
      const states = definition.States as States;
      delete parameters(states, 'EndFailed').ending;
      parameters(states, 'Set').step = 'sett';
    });
    expect(problems).toEqual([
      'rotation.asl.yml: state Set → step rotateSecret: Parameters key "step" = "sett" matches no variant of the step\'s input (expected: begin, create, set, test, finish, end)',
      'rotation.asl.yml: state EndFailed → step rotateSecret: required key "ending" is missing from Parameters (expected: step, ending, request)',
    ]);
  });

  it('checks the states inside a Map iterator', () => {
    const problems = problemsAfter('rotation', (definition) => {
      const roll = parameters(rollIteration(definition), 'ForceDeployment');
      roll['targets.$'] = roll['target.$'];
      delete roll['target.$'];
    });
    expect(problems).toContain(
      'rotation.asl.yml: state ForceDeployment → step rotateRoll: Parameters key "targets" is not in the step\'s input (expected: rotationId, target)',
    );
  });

  it('checks a Task without Parameters against the Map item it is passed whole', () => {
    const problems = problemsAfter('release', (definition) => {
      const selector = state(definition.States as States, 'Releases').ItemSelector as Record<string, unknown>;
      selector['execution.$'] = selector['executionId.$'];
      delete selector['executionId.$'];
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^release\.asl\.yml: state Claim → step claim: required key "executionId" is not in the state data the Task passes whole \(it has: request, notice, analysis, execution, /,
      ),
    ]);
  });

  it('fails on a function no step is defined for', () => {
    const problems = problemsAfter('rotation', (definition) => {
      state(definition.States as States, 'Dependents').Resource =
        'arn:aws:lambda:us-east-1:123456789012:function:findUsers';
    });
    expect(problems).toContain(
      'rotation.asl.yml: state Dependents → step findUsers: function findUsers has no step definition (functions/steps.ts)',
    );
  });
});
