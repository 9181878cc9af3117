import * as z from 'zod';
import { defineStep } from '../platform/step.ts';
import { RotationStateError } from './errors.ts';
import { checkNoDependentOnOlderValue, type FindDependentsOnOlderValue } from './in-use.ts';
import { ROTATION_OUTCOMES } from './messages.ts';
import type { RotationLock } from './ports/rotation-lock.ts';
import type { RotationTarget } from './ports/rotation-target.ts';
import type { SecretGenerator } from './ports/secret-generator.ts';
import type { ParameterVersion, SecretStore } from './ports/secret-store.ts';
import {
  CURRENT_LABEL,
  type PendingValue,
  parsePending,
  pendingParameterName,
  type RotatingSecret,
  type RotationRequest,
  secretKey,
} from './rotation.ts';
import { publishedSchema, rollQuerySchema, rollTargetSchema, rotationRequestSchema } from './schemas.ts';
import { nextRole, nextSecretValue } from './value.ts';

// The steps before publishing. Each is idempotent under the rotation id and
// returns references (parameter names, versions), never a value.

// Longer than a rotation runs until its roll; each look at a roll renews it
// for as long again (rolls wait up to two stability deadlines per service). A
// crashed rotation holds the secret no longer than this.
export const ROTATION_LEASE_SECONDS = 3 * 60 * 60;

const text = z.string().min(1);
const lockIds = { parameter: text, rotationId: text };

/** The pending value a step works on: where it is. */
const pendingReferenceSchema = z.object({ pending: text, version: z.number().int() });
export type PendingReference = z.infer<typeof pendingReferenceSchema>;

const beginResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ACQUIRED'), ...lockIds, leaseSeconds: z.number().int() }),
  z.object({ status: z.literal('BUSY'), ...lockIds, holder: text, expiresAt: text }),
  z.object({ status: z.literal('COMPLETED'), ...lockIds }),
]);
/** What `beginRotation` decided: go on (holding the lock for `leaseSeconds`, renewed while rolling), refused because another rotation runs, or this rotation already completed. */
export type BeginResult = z.infer<typeof beginResultSchema>;

/**
 * Takes the secret's rotation lock. A second rotation of a secret while one
 * runs is refused (BUSY), not queued: the running one makes a fresh value
 * anyway. The same rotation id again (a resumed rotation) takes it back.
 */
export async function beginRotation(
  request: RotationRequest,
  { lock, now }: { lock: RotationLock; now: () => Date },
): Promise<BeginResult> {
  const at = now();
  const expiresAt = new Date(at.getTime() + ROTATION_LEASE_SECONDS * 1000).toISOString();
  const result = await lock.acquire(request.parameter, request.rotationId, { now: at.toISOString(), expiresAt });
  const ids = { parameter: request.parameter, rotationId: request.rotationId };
  if (result.status === 'ACQUIRED') return { status: 'ACQUIRED', ...ids, leaseSeconds: ROTATION_LEASE_SECONDS };
  return result.status === 'BUSY' ? { ...result, ...ids } : { status: result.status, ...ids };
}

/**
 * Makes the next value and stores it under the pending name, unless this
 * rotation already did. A secret with a target is refused first while the
 * credential it would reset may still be in use (see rotation-in-use.ts).
 */
export async function createPending(
  request: RotationRequest,
  secret: RotatingSecret,
  {
    store,
    generate,
    dependentsOnOlderValue,
  }: { store: SecretStore; generate: SecretGenerator; dependentsOnOlderValue: FindDependentsOnOlderValue },
): Promise<PendingReference> {
  const pending = pendingParameterName(request.parameter);
  const existing = await store.read(pending);
  // Another rotation's leftover (it crashed before its end step) is replaced: the lock says it no longer runs.
  if (existing && parsePending(existing.value, pending).rotationId === request.rotationId) {
    return { pending, version: existing.version };
  }
  const published = await store.read(request.parameter);
  const history = published === undefined ? [] : await store.history(request.parameter);
  if (secret.postgres !== undefined && published !== undefined) {
    checkPublishedIsCurrent(request.parameter, published.version, history);
    const at = history.find((v) => v.version === published.version)?.lastModified;
    if (at === undefined)
      throw new RotationStateError(`SSM reports no time for version ${published.version} of ${request.parameter}`);
    const role = nextRole(secret.postgres.baseUser, published.value, request.parameter);
    await checkNoDependentOnOlderValue(
      request.parameter,
      { version: published.version, at },
      role,
      dependentsOnOlderValue,
    );
  }
  const value = nextSecretValue(secret, published?.value, generate);
  const envelope: PendingValue = { rotationId: request.rotationId, value };
  return { pending, version: await store.write(pending, JSON.stringify(envelope), secretKey(history)) };
}

/**
 * With alternating users, the role to change is the one the published value
 * does not name. When the latest version is not the one labelled current (a
 * rotation stopped between publishing and labelling, or a value written by
 * hand), tasks may be using either role: rotating could change the password
 * of the one they use, so the rotation stops and says how to resolve it.
 */
function checkPublishedIsCurrent(parameter: string, latest: number, history: readonly ParameterVersion[]): void {
  const current = history.find((v) => v.labels.includes(CURRENT_LABEL))?.version;
  if (current === undefined || current === latest) return;
  throw new RotationStateError(
    `the latest version of ${parameter} (${latest}) is not the one labelled ${CURRENT_LABEL} (${current}): services may use either login. Roll them onto version ${latest}, label it (aws ssm label-parameter-version --name ${parameter} --parameter-version ${latest} --labels ${CURRENT_LABEL}), then rotate.`,
  );
}

/** The pending value of this rotation; a RotationStateError when there is none. */
export async function readPending(request: RotationRequest, store: SecretStore): Promise<string> {
  const pending = pendingParameterName(request.parameter);
  const found = await store.read(pending);
  const parsed = found && parsePending(found.value, pending);
  if (parsed?.rotationId !== request.rotationId) {
    throw new RotationStateError(`${pending} holds no value of rotation ${request.rotationId}`);
  }
  return parsed.value;
}

/** Applies the pending value at the target (a secret without one has nothing to apply). */
export async function setPending(
  request: RotationRequest,
  { store, target }: { store: SecretStore; target?: RotationTarget },
): Promise<void> {
  const value = await readPending(request, store);
  await target?.set(value);
}

/** Proves the pending value works at the target before anything can read it. */
export async function testPending(
  request: RotationRequest,
  { store, target }: { store: SecretStore; target?: RotationTarget },
): Promise<void> {
  const value = await readPending(request, store);
  if (value === '') throw new RotationStateError(`the pending value of ${request.parameter} is empty`);
  await target?.test(value);
}

const rotationEndingSchema = z.enum(['PUBLISHED', 'FAILED']);
/** How a rotation ended, for the lock: PUBLISHED (the id is remembered) or FAILED. */
export type RotationEnding = z.infer<typeof rotationEndingSchema>;
const endResultSchema = z.object({ ...lockIds, ending: rotationEndingSchema, published: z.boolean() });

/**
 * Lets go of the lock, then deletes this rotation's pending value. In that
 * order: a crash between the two leaves a published rotation remembered as
 * completed (run again, it stops at begin) rather than one that, run again
 * without its pending value, would rotate a second time and change the
 * password of the role tasks may still use.
 */
export async function endRotation(
  request: RotationRequest,
  ending: RotationEnding,
  { store, lock, now }: { store: SecretStore; lock: RotationLock; now: () => Date },
): Promise<z.infer<typeof endResultSchema>> {
  const pending = pendingParameterName(request.parameter);
  const found = await store.read(pending);
  const ours = found && parsePending(found.value, pending).rotationId === request.rotationId ? found : undefined;
  // A rotation that failed in finish may have written the parameter before it failed: the alert says so.
  const published =
    ending === 'PUBLISHED' ||
    (ours !== undefined && parsePending(ours.value, pending).value === (await store.read(request.parameter))?.value);
  await lock.release(request.parameter, request.rotationId, {
    completed: ending === 'PUBLISHED',
    at: now().toISOString(),
  });
  // Once the lock is free another rotation may have written its own pending value: that one stays.
  if (ours && (await store.read(pending))?.version === ours.version) await store.remove(pending);
  return { parameter: request.parameter, rotationId: request.rotationId, ending, published };
}

// The rotation state machine's Lambda steps: what each is given and returns.
// Handlers parse their event with `input`; `npm run validate:asl` checks the
// ASL's Parameters against `input` and its later reads against `output`.

/**
 * `rotateSecret`: one step of a rotation, named by `step` (`end` also says how
 * it ended) → the step's result: names, versions and statuses, never a value.
 */
export const rotateSecretStep = defineStep({
  name: 'rotateSecret',
  input: z.discriminatedUnion('step', [
    z.object({ step: z.enum(['begin', 'create', 'set', 'test', 'finish']), request: rotationRequestSchema }),
    z.object({ step: z.literal('end'), ending: rotationEndingSchema, request: rotationRequestSchema }),
  ]),
  output: z.union([
    beginResultSchema,
    pendingReferenceSchema,
    z.object({ set: z.literal(true) }),
    z.object({ tested: z.literal(true) }),
    publishedSchema,
    endResultSchema,
  ]),
});

/** `rotateDependents`: `{ parameter, rotationId }` → `{ services }`: the catalog targets to roll (each read in its role's session named after the rotation). */
export const rotateDependentsStep = defineStep({
  name: 'rotateDependents',
  input: z.object({ parameter: text, rotationId: text }),
  output: z.object({ services: z.array(rollTargetSchema) }),
});

/** `rotateRoll`: `{ rotationId, target }` → the forced deployment to wait on (waitStable's query). */
export const rotateRollStep = defineStep({
  name: 'rotateRoll',
  input: z.object({ rotationId: text, target: rollTargetSchema }),
  output: rollQuerySchema,
});

/** `rotateRollback`: `{ rotationId, target, roll }` → `{ query? }`: the rollback to wait on, none when the deployment had already ended. */
export const rotateRollbackStep = defineStep({
  name: 'rotateRollback',
  input: z.object({ rotationId: text, target: rollTargetSchema, roll: rollQuerySchema }),
  output: z.object({ query: rollQuerySchema.optional() }),
});

/** `rotateNotify`: how a rotation ended → `{ delivered, reason? }`; never throws for Slack. */
export const rotateNotifyStep = defineStep({
  name: 'rotateNotify',
  input: z.object({
    request: rotationRequestSchema,
    outcome: z.enum(ROTATION_OUTCOMES),
    published: z.object({ version: z.number().int(), previousVersion: z.number().int().optional() }).optional(),
    rolls: z
      .array(
        z.object({ service: z.string(), environment: z.string(), failed: z.boolean(), reason: z.string().optional() }),
      )
      .optional(),
    error: z.object({ Error: z.string(), Cause: z.string().optional() }).optional(),
    // What EndFailed returned, or its error when it failed.
    ended: z.object({ published: z.boolean().optional() }).optional(),
  }),
  output: z.object({ delivered: z.boolean(), reason: z.string().optional() }),
});
