import * as z from 'zod';
import { placementFields, placementProblems, registrySchema } from './account.ts';
import { scanSchema } from './scan.ts';
import { secretSchema } from './secrets.ts';
import { slackPrincipalSchema } from './slack-principal.ts';
import { checkStrategy, strategyFields, withStrategyDefaults } from './strategy.ts';

export { strategySchema } from './strategy.ts';

// Checks run concurrently inside the smoke-test function (timeout 120 s in
// serverless.yml); each check's worst case must leave it room.
export const SMOKE_CHECK_BUDGET_SECONDS = 100;

/** An HTTP check run against a released service after it is stable. */
export const smokeCheckSchema = z
  .strictObject({
    name: z.string().min(1).optional(),
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
    method: z.enum(['GET', 'HEAD']).default('GET'),
    expectStatus: z.number().int().min(100).max(599).default(200),
    bodyMatch: z.string().min(1).optional(),
    timeoutSeconds: z.number().positive().max(60).default(5),
    attempts: z.number().int().min(1).max(10).default(3),
    retryDelaySeconds: z.number().min(0).max(60).default(2),
  })
  .refine((check) => smokeCheckBudgetSeconds(check) <= SMOKE_CHECK_BUDGET_SECONDS, {
    message: `attempts × timeoutSeconds + the delays between attempts must stay within ${SMOKE_CHECK_BUDGET_SECONDS} s`,
  });

/** The longest one check can take: every attempt timing out, with the delays between them. */
export function smokeCheckBudgetSeconds(
  check: Readonly<{ attempts: number; timeoutSeconds: number; retryDelaySeconds: number }>,
): number {
  return check.attempts * check.timeoutSeconds + (check.attempts - 1) * check.retryDelaySeconds;
}

/** Which pushed tags an environment releases; without one, every tag. */
export const tagFilterSchema = z
  .strictObject({
    prefix: z.string().min(1).optional(),
    // RE2 syntax; src/catalog/load.ts checks it with the engine that matches it.
    pattern: z.string().min(1).optional(),
  })
  .refine((filter) => filter.prefix !== undefined || filter.pattern !== undefined, {
    message: 'needs a prefix or a pattern',
  });

// Shared with the secrets' rotators (secrets.ts imports no schema.ts: schema.ts imports it).
export { slackPrincipalSchema } from './slack-principal.ts';

/** Who may start, roll back or steer releases of an environment from Slack; absent lists fall back to `approvers`. */
export const permissionsSchema = z.strictObject({
  deploy: z.array(slackPrincipalSchema).optional(),
  rollback: z.array(slackPrincipalSchema).optional(),
});

/** What starts an environment's releases: an ECR push, or a published GitHub release of the service's repository. */
export const RELEASE_TRIGGERS = ['push', 'github-release'] as const;

/** GitHub's `owner/name`: an owner of letters, digits and `-`, a name of letters, digits, `-`, `_` and `.`. */
export const GITHUB_REPOSITORY = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/;

/** The shape of ECR's repositoryName: lower case path components of letters and digits joined by `.`, `_`, `-` (ECR also wants 2 to 256 characters). */
export const ECR_REPOSITORY = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

/** A service's or an environment's name: lower case letters, digits and dashes, starting with a letter. */
export const NAME = /^[a-z][a-z0-9-]{0,39}$/;

/** Where a service's GitHub releases come from. */
export const githubSchema = z.strictObject({
  repository: z.string().regex(GITHUB_REPOSITORY, { message: 'is not a GitHub repository (owner/name)' }),
});

export const environmentSchema = z
  .strictObject({
    // Where the ECS service lives and the role that reaches it (src/catalog/account.ts); default: the automation's own.
    ...placementFields,
    cluster: z.string().min(1),
    service: z.string().min(1),
    container: z.string().min(1),
    repository: z.string().regex(ECR_REPOSITORY, {
      message: 'is not an ECR repository name',
    }),
    // The ECR registry `repository` is in, when not the automation's own (a shared tools account).
    registry: registrySchema.optional(),
    tagFilter: tagFilterSchema.optional(),
    ...strategyFields,
    smoke: z.array(smokeCheckSchema).default([]),
    testSmoke: z.array(smokeCheckSchema).optional(),
    stabilityDeadlineSeconds: z.number().int().min(1).max(7200).default(900),
    // What starts a release: an image pushed to the repository, or a GitHub
    // release published in the service's `github.repository` (production).
    trigger: z.enum(RELEASE_TRIGGERS).default('push'),
    // Whether a GitHub pre-release releases here (github-release environments only).
    prereleases: z.boolean().default(false),
    approval: z.enum(['none', 'slack']).default('none'),
    // Step Functions' TimeoutSeconds for the approval task; a day at most keeps the lock's wait bounded.
    approvalTimeoutSeconds: z.number().int().min(1).max(86_400).default(3600),
    approvers: z.array(slackPrincipalSchema).default([]),
    // Whoever asked for a release cannot approve it; default: on for environments named production.
    twoPersonRule: z.boolean().optional(),
    permissions: permissionsSchema.optional(),
    // The scan gate (src/catalog/scan.ts); without it, images are released whatever ECR's scan found.
    scan: scanSchema.optional(),
    slackChannel: z.string().min(1),
    // Opt-in alarms on this target (README, Alarms): `staleAfterHours`, the
    // alarm when no release here has succeeded in that many hours (1 to 168:
    // CloudWatch evaluates at most 7 days of hourly periods).
    alarms: z.strictObject({ staleAfterHours: z.number().int().min(1).max(168) }).optional(),
  })
  .refine((environment) => environment.approval !== 'slack' || environment.approvers.length > 0, {
    message: 'approval: slack needs at least one approver (approvers: [U…, S…])',
    path: ['approvers'],
  })
  .superRefine(checkStrategy)
  .superRefine(checkPlacement)
  .transform(withStrategyDefaults);

// A role must be in the account it is named for, and an external id needs a role to pass it to.
function checkPlacement(
  environment: { account?: string; roleArn?: string; externalId?: string; registry?: z.infer<typeof registrySchema> },
  context: z.core.$RefinementCtx,
): void {
  for (const { field, message } of placementProblems(environment)) {
    context.addIssue({ code: 'custom', path: [field], message });
  }
  for (const { field, message } of environment.registry === undefined ? [] : placementProblems(environment.registry)) {
    context.addIssue({ code: 'custom', path: ['registry', field], message });
  }
}

/**
 * Whether a name is one JavaScript objects already use (`constructor`,
 * `__proto__`, `prototype`, …): looked up on a plain object it would find
 * that member, and a `__proto__` key vanishes when the catalog is read.
 */
export const isReservedName = (name: string): boolean => name in Object.prototype || name === 'prototype';

/** Why a reserved name is refused, after `name "<name>"`. */
export const RESERVED_NAME_MESSAGE =
  'is reserved: JavaScript objects use it (constructor, prototype, __proto__, …); choose another name';

/** A service or environment name. */
export const nameSchema = z
  .string()
  .regex(NAME, {
    message: 'must be lower-case letters, digits and dashes, starting with a letter',
  })
  .refine((name) => !isReservedName(name), { message: RESERVED_NAME_MESSAGE });

export const serviceSchema = z
  .strictObject({
    description: z.string().optional(),
    github: githubSchema.optional(),
    environments: z.record(nameSchema, environmentSchema).refine((envs) => Object.keys(envs).length > 0, {
      message: 'needs at least one environment',
    }),
  })
  .superRefine(checkGitHubTriggers);

// A GitHub release must name the repository it comes from, and only GitHub
// releases can be pre-releases.
function checkGitHubTriggers(
  service: { github?: unknown; environments: Record<string, { trigger: string; prereleases: boolean }> },
  context: z.core.$RefinementCtx,
): void {
  for (const [environment, { trigger, prereleases }] of Object.entries(service.environments)) {
    if (trigger === 'github-release' && service.github === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['environments', environment, 'trigger'],
        message: "github-release needs the service's github.repository (owner/name) to take releases from",
      });
    }
    if (prereleases && trigger !== 'github-release') {
      context.addIssue({
        code: 'custom',
        path: ['environments', environment, 'prereleases'],
        message: 'applies to trigger github-release only (pushes have no pre-releases)',
      });
    }
  }
}

/** How often the push reconciler looks for pushes whose ECR event was lost (EventBridge's rate(N minutes)). */
export const reconcileSchema = z.strictObject({
  everyMinutes: z.number().int().min(1).max(1440).default(5),
});

/** The four keys (src/insight): a hotfix or rollback this soon after a release makes that release a failed change. */
export const insightSchema = z.strictObject({
  failureWindowHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(72),
});

export const catalogSchema = z.strictObject({
  services: z.record(nameSchema, serviceSchema),
  // Rotated SSM secrets by name (src/catalog/secrets.ts).
  secrets: z.record(nameSchema, secretSchema).default({}),
  // ECR's push events are best effort: a schedule releases the pushes whose event never came.
  reconcile: reconcileSchema.default({ everyMinutes: 5 }),
  insight: insightSchema.default({ failureWindowHours: 72 }),
});

export type SmokeCheck = z.infer<typeof smokeCheckSchema>;
export type TagFilter = z.infer<typeof tagFilterSchema>;
export type EnvironmentConfig = z.infer<typeof environmentSchema>;
export type ServiceConfig = z.infer<typeof serviceSchema>;
export type Catalog = z.infer<typeof catalogSchema>;
export type ReleaseTriggerKind = (typeof RELEASE_TRIGGERS)[number];
