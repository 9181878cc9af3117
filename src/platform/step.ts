import type * as z from 'zod';

/**
 * One Lambda step's contract, written once: what the state machine passes it
 * (`input`, the schema its handler parses the event with) and what it returns
 * (`output`, where the state machine's next states read). `scripts/validate-asl.ts`
 * checks every Task state of the ASL against it.
 */
export interface StepDefinition<Input extends z.ZodType = z.ZodType, Output extends z.ZodType = z.ZodType> {
  /** The step's name in contract errors. */
  name: string;
  input: Input;
  output: Output;
  /**
   * A `.waitForTaskToken` step's result is what answers the token, not what the
   * function returns: the schema of that answer, if the state machine reads it.
   */
  callbackOutput?: z.ZodType;
}

/** Declares a step's contract; the types of its input and output come from the schemas. */
export function defineStep<Input extends z.ZodType, Output extends z.ZodType>(
  step: StepDefinition<Input, Output>,
): StepDefinition<Input, Output> {
  return step;
}

/** The parsed input of a step (after its schema's defaults and transforms). */
export type StepInput<Step extends StepDefinition> = z.output<Step['input']>;

/** The output a step returns. */
export type StepOutput<Step extends StepDefinition> = z.input<Step['output']>;
