// What can go wrong on a bad day in AWS, as rules anyone testing their
// pipeline can set: per service (its SigV4 signing name) and operation, at a
// rate. LocalStack's chaos API is the model; the names are AWS's.
import * as z from 'zod';

/** The kinds of fault the sandbox injects. */
export const FAULT_KINDS = ['throttle', '5xx', 'latency', 'lost'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Friendly names people type for a service, mapped to its signing name (what rules store). */
const SERVICE_ALIASES: Readonly<Record<string, string>> = {
  stepfunctions: 'states',
  sfn: 'states',
  eventbridge: 'events',
  cloudwatch: 'monitoring',
};

/** The signing name of a service as a rule names it (`*` for every service). */
export function serviceName(name: string): string {
  const lower = name.toLowerCase();
  return SERVICE_ALIASES[lower] ?? lower;
}

const FaultRuleSchema = z
  .object({
    /** A signing name (`ecs`, `dynamodb`, `ssm`, `states`, …) or `*`; default every service. */
    service: z.string().min(1).max(64).default('*').transform(serviceName),
    /** An operation name as the API spells it (`UpdateService`) or `*`; default every operation. */
    operation: z
      .string()
      .regex(/^(\*|[A-Z][A-Za-z0-9]{1,63})$/, 'an operation name such as UpdateService, or *')
      .default('*'),
    fault: z.enum(FAULT_KINDS),
    /** The share of matching requests that get the fault, in (0, 1]. */
    rate: z.number().gt(0).lte(1).default(1),
    /** For `latency`: the delay added before the answer. */
    latencyMs: z.number().int().min(1).max(60_000).optional(),
  })
  .strict()
  .refine((rule) => rule.fault !== 'latency' || rule.latencyMs !== undefined, {
    message: 'a latency fault needs latencyMs',
    path: ['latencyMs'],
  });

/** One fault rule, as stored and listed. */
export type FaultRule = z.output<typeof FaultRuleSchema>;

/** A rule that is not one: what was wrong with it, in words. */
export class InvalidFaultRuleError extends Error {
  override readonly name = 'InvalidFaultRuleError';
}

/** Validates a rule given as JSON (the HTTP API, the programmatic API). */
export function parseFaultRule(input: unknown): FaultRule {
  const result = FaultRuleSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'rule'}: ${issue.message}`);
  throw new InvalidFaultRuleError(`invalid fault rule ${JSON.stringify(input)}: ${problems.join('; ')}`);
}

export const FAULT_SPEC_HELP = `<kind>[=<ms>ms]@<rate>[:<service>[.<Operation>]]
  kind      throttle | 5xx | lost (took effect, answer lost) | latency (needs =<ms>ms)
  rate      0 < rate <= 1, the share of matching requests
  service   ecs, ecr, ssm, dynamodb, states (stepfunctions), events (eventbridge),
            monitoring (cloudwatch); default every service
  e.g. throttle@0.3   5xx@0.1:ecs   lost@0.5:ecs.RegisterTaskDefinition   latency=200ms@1:dynamodb`;

const SPEC =
  /^(?<fault>[a-z0-9]+)(?:=(?<ms>\d+)ms)?@(?<rate>[0-9.]+)(?::(?<service>[A-Za-z*]+)(?:\.(?<operation>[A-Za-z0-9*]+))?)?$/;

/** Parses the command line's compact form (see FAULT_SPEC_HELP). */
export function parseFaultSpec(spec: string): FaultRule {
  const groups = SPEC.exec(spec.trim())?.groups;
  if (!groups) throw new InvalidFaultRuleError(`"${spec}" is not a fault: expected ${FAULT_SPEC_HELP}`);
  return parseFaultRule({
    fault: groups.fault,
    rate: Number(groups.rate),
    ...(groups.ms === undefined ? {} : { latencyMs: Number(groups.ms) }),
    ...(groups.service === undefined ? {} : { service: groups.service }),
    ...(groups.operation === undefined ? {} : { operation: groups.operation }),
  });
}
