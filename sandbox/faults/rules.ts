// What can go wrong on a bad day in AWS, as rules anyone testing their
// pipeline can set: per service (its SigV4 signing name) and operation, at a
// rate. LocalStack's chaos API is the model; the names are AWS's.
import * as z from 'zod';

/** The kinds of fault the sandbox injects: into AWS API requests, then into event delivery (EVENT_FAULTS). */
export const FAULT_KINDS = ['throttle', '5xx', 'latency', 'lost', 'error', 'drop', 'delay', 'duplicate'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * The faults of event delivery (EventBridge rates some sources' events best
 * effort, and every delivery at least once, in no promised order): a rule of
 * these names the service `events` and, as its operation, an event source.
 */
export const EVENT_FAULTS: readonly FaultKind[] = ['drop', 'delay', 'duplicate'];

/** Whether `fault` befalls events on their way to rules' targets rather than API requests. */
export const isEventFault = (fault: FaultKind) => EVENT_FAULTS.includes(fault);

const API_OPERATION = /^(\*|[A-Z][A-Za-z0-9]{1,63})$/;
// EventBridge's `source`: `aws.ecr`, `release-automation.github`.
const EVENT_SOURCE = /^(\*|[a-z0-9][a-z0-9._-]{0,255})$/;

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
    /** An operation name as the API spells it (`UpdateService`), for an event fault an event source (`aws.ecr`), or `*`; default every one. */
    operation: z.string().min(1).max(256).default('*'),
    fault: z.enum(FAULT_KINDS),
    /** The share of matching requests that get the fault, in (0, 1]. */
    rate: z.number().gt(0).lte(1).default(1),
    /** For `latency`: the delay added before the answer; for `delay`: before the event's delivery. */
    latencyMs: z.number().int().min(1).max(60_000).optional(),
    /** For `error`: the error AWS answers, by its name (`ClientException`, `InvalidParameterException`). */
    errorCode: z
      .string()
      .regex(/^[A-Z][A-Za-z0-9]{1,99}$/, 'an AWS error name such as ClientException')
      .optional(),
    /** For `error`: its HTTP status, 400 (a client error) unless given. */
    statusCode: z.number().int().min(400).max(599).optional(),
    /** The rule applies to the first `times` requests it matches, then to none (a fault that passes); always if omitted. */
    times: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict()
  .refine((rule) => (isEventFault(rule.fault) ? EVENT_SOURCE : API_OPERATION).test(rule.operation), {
    message:
      'an operation name such as UpdateService (for drop, delay and duplicate: an event source such as aws.ecr), or *',
    path: ['operation'],
  })
  .refine((rule) => !isEventFault(rule.fault) || rule.service === 'events', {
    message: 'drop, delay and duplicate befall events: their service is events',
    path: ['service'],
  })
  .refine((rule) => (rule.fault !== 'latency' && rule.fault !== 'delay') || rule.latencyMs !== undefined, {
    message: 'a latency or delay fault needs latencyMs',
    path: ['latencyMs'],
  })
  .refine((rule) => (rule.fault === 'error') === (rule.errorCode !== undefined), {
    message: 'an error fault needs errorCode, and only an error fault takes one',
    path: ['errorCode'],
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

export const FAULT_SPEC_HELP = `<kind>[=<ms>ms|=<ErrorName>]@<rate>[:<service>[.<Operation>]][#<times>]
  kind      throttle | 5xx | lost (took effect, answer lost) | latency (needs =<ms>ms)
            | error (needs =<ErrorName>: AWS's error of that name, HTTP 400)
  rate      0 < rate <= 1, the share of matching requests
  service   ecs, ecr, ssm, dynamodb, states (stepfunctions), events (eventbridge),
            monitoring (cloudwatch); default every service
  times     only the first <times> matching requests; default every one
  events    drop | duplicate | delay=<ms>ms, on events.<source> (EventBridge's source: aws.ecr,
            aws.ecs, aws.states, …): lost, delivered twice, or delivered late, before
            reaching any rule's target
  e.g. throttle@0.3   5xx@0.1:ecs   lost@0.5:ecs.RegisterTaskDefinition   latency=200ms@1:dynamodb
       error=ClientException@1:ecs.RegisterTaskDefinition   throttle@1:ecs.DescribeServices#2
       drop@1:events.aws.ecr   duplicate@0.5:events.aws.ecs   delay=3000ms@1:events.aws.ecr#1`;

const SPEC =
  /^(?<fault>[a-z0-9]+)(?:=(?:(?<ms>\d+)ms|(?<errorCode>[A-Z][A-Za-z0-9]+)))?@(?<rate>[0-9.]+)(?::(?<service>[A-Za-z*]+)(?:\.(?<operation>[A-Za-z0-9*][A-Za-z0-9.*_-]*))?)?(?:#(?<times>\d+))?$/;

/** Parses the command line's compact form (see FAULT_SPEC_HELP). */
export function parseFaultSpec(spec: string): FaultRule {
  const groups = SPEC.exec(spec.trim())?.groups;
  if (!groups) throw new InvalidFaultRuleError(`"${spec}" is not a fault: expected ${FAULT_SPEC_HELP}`);
  return parseFaultRule({
    fault: groups.fault,
    rate: Number(groups.rate),
    ...(groups.ms === undefined ? {} : { latencyMs: Number(groups.ms) }),
    ...(groups.errorCode === undefined ? {} : { errorCode: groups.errorCode }),
    ...(groups.times === undefined ? {} : { times: Number(groups.times) }),
    ...(groups.service === undefined ? {} : { service: groups.service }),
    ...(groups.operation === undefined ? {} : { operation: groups.operation }),
  });
}
